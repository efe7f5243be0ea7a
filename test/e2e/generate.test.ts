// QLP: Generate project in a real VS Code (code-server 4.100.3) against a scripted model on a
// loopback server: requirements, stack, the plan approved in the panel, files written, the tests
// failing (named in the panel), one repair, verified in the sandbox with its mutation score, and
// the capsule in the Capsules view. The panel reads cleanly: one Cancel, plan rows that line up,
// each answer labelled by its file (or plan, or repair), check output readable, plural forms right;
// a model that is down is named by its URL, with Retry and Open settings.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { freshProfile, installVsix, writeUserSettings, type Profile } from '../../scripts/codeServer';
import { FakeModelServer } from '../support/fakeModelServer';
import { fixedSource, projectFiles, promptText, scriptedProject } from '../support/scriptedProject';
import { capsuleVersionRow, notificationTexts, helloWorkspace, openWorkbench, runCommand, screenshot, webviewWith, type Workbench } from '../support/workbench';

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
    // One attempt per call: a model that is down fails at once.
    writeUserSettings(profile, {
      'qlp.providers.local.baseUrl': models.openaiBaseUrl,
      'qlp.providers.local.model': 'scripted-coder',
      'qlp.models.maxAttempts': 1,
    });
    installVsix(profile);
    workspace = helloWorkspace();
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
    assert.equal(
      await panel.locator('vscode-textfield[aria-label="Target folder in the workspace"]').evaluate((f) => (f as HTMLInputElement).value),
      'new-project',
    );
    await screenshot(page, 'generate-panel');
  });

  it('shows the plan for approval, then runs to verified with a repair round', { timeout: 180_000 }, async () => {
    const requirements = panel.locator('vscode-textarea#requirements textarea');
    await requirements.fill('A command-line tool that adds two numbers.');
    await panel.getByText('Node.js command-line tool').click();
    // Ctrl+Enter in the requirements starts the run.
    await requirements.press('Control+Enter');

    await panel.getByText('Review the plan').waitFor({ timeout: 30_000 });
    for (const path of Object.keys(projectFiles))
      assert.equal(
        await panel
          .locator(`vscode-textfield[aria-label^="Path of file"]`)
          .evaluateAll((fields, p) => fields.some((f) => (f as HTMLInputElement).value === p), path),
        true,
        `${path} is not in the plan`,
      );
    await screenshot(page, 'generate-plan');
    // One Cancel while the plan waits: the plan's own (no second one in the status line, no progress
    // notification while the panel is open).
    const cancels = await panel
      .locator('vscode-button')
      .evaluateAll((buttons) => buttons.filter((b) => (b as HTMLElement).offsetParent !== null && b.textContent?.trim() === 'Cancel').length);
    assert.equal(cancels, 1);
    assert.ok(!(await notificationTexts(page)).some((t) => /Generating/.test(t)), 'a progress notification shows beside the open panel');
    // The plan's rows line up: each column starts at the same x in every row.
    const columns = await panel
      .locator('.plan-row')
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => Math.round(cell.getBoundingClientRect().left))));
    assert.equal(columns.length, 5);
    for (const row of columns) assert.deepEqual(row, columns[0], `plan rows do not line up: ${JSON.stringify(columns)}`);
    await panel.getByRole('button', { name: 'Approve', exact: true }).click();

    await panel.getByText('Verified: every test ran and passed in the sandbox').waitFor({ timeout: 150_000 });
    await screenshot(page, 'generate-verified');
    // "Verified" is said once, in the outcome; the status line says the run finished.
    assert.match((await panel.locator('.status').textContent()) ?? '', /Finished in [\d.]+ s/);
    assert.doesNotMatch((await panel.locator('.status').textContent()) ?? '', /Verified/);
    // A failed check's output opens full width, under a label saying what it is.
    const failedRound = panel.locator('.checks > li', { hasText: 'Tests, round 0' }).first();
    const summary = failedRound.locator('summary').first();
    assert.match((await summary.textContent()) ?? '', /^Test output, round 0 \((docker|bwrap) sandbox\)$/);
    await summary.click();
    const box = await failedRound.locator('pre.check-output').boundingBox();
    assert.ok(box && box.width > 400, `the check output is ${box?.width} px wide`);
    assert.ok(((await summary.boundingBox())?.height ?? 99) < 30, 'the output label wraps');
    assert.match((await failedRound.locator('pre.check-output').textContent()) ?? '', /-1 !== 5/);
    await failedRound.scrollIntoViewIfNeeded();
    await screenshot(page, 'generate-check-output');
    // Each answer is labelled by whose it is: the plan, every file, and the repair.
    const labels = await panel.locator('.output .output-label').allTextContents();
    assert.ok(!labels.slice(labels.findIndex((l) => l !== 'plan')).includes('plan'), `an answer after the plan is labelled plan: ${labels.join(', ')}`);
    for (const path of Object.keys(projectFiles)) assert.ok(labels.includes(path), `no output label for ${path}: ${labels.join(', ')}`);
    assert.equal(labels.at(-1), 'repair', labels.join(', '));
    // Counts read as words do: "1 repair round", never "1 calls" or "1 errors".
    const text = (await panel.locator('body').textContent()) ?? '';
    assert.doesNotMatch(text, /\b1 (calls|errors|warnings|files|tokens|repair rounds)\b/);
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
    for (const [path, content] of Object.entries(projectFiles))
      assert.equal(readFileSync(join(folder, path), 'utf8'), path === 'src/index.js' ? fixedSource : content);
    assert.ok(
      models.requests.some((r) => promptText(r).includes('The project was checked and has problems')),
      'no repair turn reached the model',
    );
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

  it('names the URL of a model that is down, and offers Open settings and Retry', { timeout: 90_000 }, async () => {
    models.respondWith(() => ({ status: 503, message: 'overloaded' }));
    await panel.locator('vscode-textfield[aria-label="Target folder in the workspace"] input').fill('down-project');
    await panel.locator('vscode-textarea#requirements textarea').press('Control+Enter');
    const failure = panel.locator('.status.error', { hasText: 'failed with 503' });
    await failure.waitFor({ timeout: 30_000 });
    assert.match(
      (await failure.textContent()) ?? '',
      new RegExp(`the local model server at ${models.openaiBaseUrl.replace(/[.:/]/g, '\\$&')} failed with 503: (503 )?overloaded\\.`),
    );
    for (const name of ['Retry', 'Open settings', 'Set up a model']) await panel.getByRole('button', { name, exact: true }).waitFor({ timeout: 5000 });
    await screenshot(page, 'generate-model-down');

    // Open settings shows the local server's settings (its URL is machine-scoped: in the browser VS
    // Code under the Remote tab).
    await panel.getByRole('button', { name: 'Open settings', exact: true }).click();
    await page.locator('.settings-editor').getByText('Model name on the local server', { exact: false }).first().waitFor({ timeout: 20_000 });
    assert.match((await page.locator('.settings-editor .settings-header').textContent()) ?? '', /Settings? Found/);
    await screenshot(page, 'generate-model-settings');
    await page.locator('.tabs-container .tab', { hasText: 'QLP: Generate project' }).first().click();

    // The model is back: Retry runs the same generation again.
    models.respondWith(scriptedProject());
    await panel.getByRole('button', { name: 'Retry', exact: true }).click();
    await panel.getByText('Review the plan').waitFor({ timeout: 30_000 });
    assert.equal(await panel.locator('.status.error').count(), 0, 'the failure is still shown');
    await panel.getByRole('button', { name: 'Cancel', exact: true }).click();
    await panel.getByText('The plan was not approved').waitFor({ timeout: 20_000 });
    assert.equal(await panel.locator('.error-actions').count(), 0, 'a refused plan offers a way out of a failure');
    assert.ok(!existsSync(join(workspace, 'down-project')));
  });
});
