// QLP: Generate project in a real VS Code (code-server 4.100.3) against a scripted model on a
// loopback server: requirements, stack, the plan approved in the panel, files written, the tests
// failing (named in the panel), one repair, verified in the sandbox with its mutation score, and
// the capsule in the Capsules view.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { freshProfile, installVsix, writeUserSettings, type Profile } from '../../scripts/codeServer';
import { FakeModelServer } from '../support/fakeModelServer';
import { repoRoot } from '../support/paths';
import { fixedSource, projectFiles, promptText, scriptedProject } from '../support/scriptedProject';
import { capsuleVersionRow, openWorkbench, runCommand, screenshot, webviewWith, type Workbench } from '../support/workbench';

const ready = '[aria-label="QLP language server: ready"]';

describe('QLP: Generate project in VS Code (installed from the .vsix)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let profile: Profile;
  let workspace: string;
  let panel: Frame;
  const models = new FakeModelServer();

  before(async () => {
    await models.start();
    models.respondWith(scriptedProject());
    profile = freshProfile();
    // Endpoints are machine-scoped: writeUserSettings writes the Machine settings too.
    writeUserSettings(profile, { 'qlp.providers.local.baseUrl': models.openaiBaseUrl, 'qlp.providers.local.model': 'scripted-coder' });
    installVsix(profile);
    workspace = join(mkdtempSync(join(tmpdir(), 'qlp-ws-')), 'hello');
    cpSync(join(repoRoot, 'examples', 'hello'), workspace, { recursive: true });
    workbench = await openWorkbench(profile, workspace);
    page = workbench.page;
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 45_000 });
  });

  after(async () => {
    await workbench?.close('generate-final');
    await models.close();
  });

  it('opens the panel from the command palette with the stacks and a new folder', { timeout: 60_000 }, async () => {
    await runCommand(page, 'QLP: Generate project');
    panel = await webviewWith(page, 'Describe the project and press Generate');
    await panel.getByText('Node.js command-line tool').waitFor({ timeout: 10_000 });
    assert.equal(await panel.locator('vscode-textfield[aria-label="Target folder in the workspace"]').evaluate((f) => (f as HTMLInputElement).value), 'new-project');
    await screenshot(page, 'generate-panel');
  });

  it('shows the plan for approval, then runs to verified with a repair round', { timeout: 180_000 }, async () => {
    const requirements = panel.locator('vscode-textarea#requirements textarea');
    await requirements.fill('A command-line tool that adds two numbers.');
    await panel.getByText('Node.js command-line tool').click();
    // Ctrl+Enter in the requirements starts the run.
    await requirements.press('Control+Enter');

    await panel.getByText('Review the plan').waitFor({ timeout: 30_000 });
    for (const path of Object.keys(projectFiles)) assert.equal(await panel.locator(`vscode-textfield[aria-label^="Path of file"]`).evaluateAll((fields, p) => fields.some((f) => (f as HTMLInputElement).value === p), path), true, `${path} is not in the plan`);
    await screenshot(page, 'generate-plan');
    await panel.getByRole('button', { name: 'Approve', exact: true }).click();

    await panel.getByText('Verified: every test ran and passed in the sandbox').waitFor({ timeout: 150_000 });
    await screenshot(page, 'generate-verified');
    const checks = (await panel.locator('.checks').textContent()) ?? '';
    assert.match(checks, /Tests, round 0: failed \(0 passed, 1 failed, 0 skipped\) in the (docker|bwrap) sandbox/);
    // The failing test is named, with the first line of its failure.
    assert.match(checks, /Failing: test\/index\.test\.js::adds two numbers/);
    assert.match(checks, /Tests, round 1: passed \(1 passed, 0 failed, 0 skipped\)/);
    // The tests' strength, in one sentence, in the checks and the outcome.
    const mutation = /Mutation score \d+ %: the tests caught \d+ of \d+ small deliberate bugs put into src\/index\.js/;
    assert.match(checks, mutation);
    assert.match((await panel.locator('.outcome').textContent()) ?? '', mutation);
    const files = (await panel.locator('.files').textContent()) ?? '';
    for (const path of Object.keys(projectFiles)) assert.match(files, new RegExp(`${path.replace(/[.]/g, '\\.')} validated · T\\d local:scripted-coder`));
    assert.match((await panel.locator('.outcome').textContent()) ?? '', /Tests 1 passed, 0 failed, 0 skipped/);
    assert.match((await panel.locator('.cost').textContent()) ?? '', /Cost \$[\d.]+ .*calls/);

    const folder = join(workspace, 'new-project');
    for (const [path, content] of Object.entries(projectFiles)) assert.equal(readFileSync(join(folder, path), 'utf8'), path === 'src/index.js' ? fixedSource : content);
    assert.ok(models.requests.some((r) => promptText(r).includes('The project was checked and has problems')), 'no repair turn reached the model');
  });

  it('lists the generated capsule in the Capsules view and reveals the folder', { timeout: 60_000 }, async () => {
    const version = await capsuleVersionRow(page, 'new-project', 1);
    assert.doesNotMatch((await version.getAttribute('aria-label')) ?? '', /snapshot/);
    await screenshot(page, 'generate-capsule');

    await panel.getByRole('button', { name: 'Open folder', exact: true }).click();
    await page.locator('.tabs-container .tab', { hasText: 'README.md' }).first().waitFor({ timeout: 20_000 });
    assert.ok(existsSync(join(workspace, 'new-project', 'README.md')));
    assert.deepEqual(readdirSync(join(workspace, 'new-project')).sort(), ['README.md', 'bin', 'package.json', 'src', 'test']);
  });

  it('cancels with Escape while the plan waits, leaving no folder behind', { timeout: 60_000 }, async () => {
    await panel.locator('vscode-textfield[aria-label="Target folder in the workspace"] input').fill('cancelled-project');
    await panel.locator('vscode-textarea#requirements textarea').press('Control+Enter');
    await panel.getByText('Review the plan').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await panel.getByText(/Generation cancelled|The plan was not approved/).waitFor({ timeout: 20_000 });
    await screenshot(page, 'generate-cancelled');
    assert.ok(!existsSync(join(workspace, 'cancelled-project')), 'the cancelled run left a folder');
    // The form is usable again.
    assert.equal(await panel.locator('.form').getAttribute('inert'), null);
  });
});
