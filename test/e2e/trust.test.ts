// Workspace Trust in a real VS Code (code-server 4.100.3) with the packaged extension: a cloned
// project whose eslint.config.js writes a canary file opens in Restricted Mode, where QLP runs
// nothing of it and still reports with its own rules; once the user trusts the folder, the
// project's own ESLint rule applies.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { freshProfile, installVsix, writeUserSettings } from '../../scripts/codeServer';
import { fakeGithubToken } from '../support/projects';
import { openFile, openWorkbench, problemRows, runCommand, screenshot, webviewView, type Workbench } from '../support/workbench';

const ready = '[aria-label="QLP language server: ready"]';

/** Waits until a Problems panel row matches `pattern`, and returns the rows. */
async function problemsWith(page: Page, pattern: RegExp, timeoutMs = 60_000): Promise<string[]> {
  await page.waitForFunction(
    (source) => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => new RegExp(source).test(r.textContent ?? '')),
    pattern.source,
    { timeout: timeoutMs },
  );
  return problemRows(page);
}

describe('Workspace Trust (installed from the .vsix)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let canary: string;

  before(async () => {
    const profile = freshProfile();
    // VS Code asks whether to trust the folder when it opens (the e2e profiles turn that off).
    writeUserSettings(profile, { 'security.workspace.trust.enabled': true });
    installVsix(profile);
    const workspace = join(mkdtempSync(join(tmpdir(), 'qlp-ws-')), 'cloned');
    mkdirSync(join(workspace, 'src'), { recursive: true });
    canary = join(workspace, 'canary.txt');
    writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'cloned', type: 'module', private: true }));
    // Importing this config runs it: it leaves a canary and asks for a rule QLP's defaults lack.
    writeFileSync(
      join(workspace, 'eslint.config.js'),
      "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./canary.txt', import.meta.url), 'the project config ran');\nexport default [{ rules: { 'no-console': 'error' } }];\n",
    );
    writeFileSync(join(workspace, 'src', 'app.js'), `console.log('starting');\nexport const token = '${fakeGithubToken}';\n`);
    workbench = await openWorkbench(profile, workspace, { workspaceTrust: true });
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close('trust-final');
  });

  it(
    "opens in Restricted Mode: QLP reports a hard-coded secret with its own rules and never runs the project's ESLint config",
    { timeout: 180_000 },
    async () => {
      // The trust dialog, as a user who cloned a stranger's repository answers it.
      await page.getByRole('button', { name: "No, I don't trust the authors" }).click({ timeout: 60_000 });
      await page
        .getByText(/Restricted Mode/)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.locator(ready).first().waitFor({ state: 'visible', timeout: 60_000 });
      await openFile(page, 'app.js');
      await page.keyboard.press('Control+Shift+M');
      const rows = await problemsWith(page, /secretlint/);
      assert.ok(
        rows.some((r) => r.includes('@secretlint/secretlint-rule-github')),
        rows.join(' | '),
      );
      assert.ok(!rows.some((r) => r.includes('no-console')), `the project's rule applied while untrusted: ${rows.join(' | ')}`);
      assert.equal(existsSync(canary), false, "the project's eslint.config.js ran in Restricted Mode");
      await screenshot(page, 'trust-restricted-problems');

      const status = await webviewView(page, 'Status', 'Language server ready');
      await status.getByText(/Restricted Mode: this workspace is not trusted/).waitFor({ timeout: 30_000 });
      assert.ok(await status.getByText(/eslint\.config\.\*\) and its plugins are not loaded/).isVisible());
      await screenshot(page, 'trust-restricted-status');
    },
  );

  it("once the folder is trusted, the project's own ESLint rule applies", { timeout: 180_000 }, async () => {
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    const trust = page.locator('.workspace-trust-editor').getByRole('button', { name: 'Trust', exact: true });
    await trust.first().click({ timeout: 30_000 });
    await page
      .getByText(/You trust the authors of the files in the current folder/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'trust-granted-editor');
    await openFile(page, 'app.js');
    await page.keyboard.press('Control+Shift+M');
    const rows = await problemsWith(page, /no-console/);
    const rule = rows.find((r) => r.includes('no-console'));
    assert.match(rule ?? '', /eslint/);
    assert.ok(
      rows.some((r) => r.includes('@secretlint/secretlint-rule-github')),
      "the security rules still run beside the project's config",
    );
    assert.equal(existsSync(canary), true, "the project's eslint.config.js was loaded once trusted");
    await screenshot(page, 'trust-granted-problems');
  });
});
