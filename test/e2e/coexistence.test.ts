// QLP beside the ESLint extension in a real VS Code (code-server 4.100.3). The marketplace cannot
// be reached here, so a test-only stand-in with the ESLint extension's id (dbaeumer.vscode-eslint,
// test/fixtures/stand-in-eslint) runs the workspace's own ESLint and publishes a diagnostic
// collection named "eslint", as the real one does. QLP sees it active and leaves ESLint's
// findings for the open file to it: the Problems panel lists prefer-const once, QLP's security
// findings stay, and turning qlp.validate.deferToExtensions off brings QLP's copy back.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVSIX } from '@vscode/vsce';
import type { Page } from 'playwright-core';
import { freshProfile, installVsix, writeUserSettings, type Profile } from '../../scripts/codeServer';
import { repoRoot } from '../support/paths';
import { fakeGithubToken } from '../support/projects';
import { openFile, openWorkbench, problemRows, runCommand, screenshot, waitForNotification, type Workbench } from '../support/workbench';

const ready = '[aria-label="QLP language server: ready"]';

/** How many Problems rows mention `text`, once that count has held for `steadyMs`. */
async function steadyCount(page: Page, text: string, expected: number, timeoutMs = 60_000, steadyMs = 4000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let since = Date.now();
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await problemRows(page);
    if (rows.filter((r) => r.includes(text)).length !== expected) since = Date.now();
    else if (Date.now() - since >= steadyMs) return rows;
    await page.waitForTimeout(250);
  }
  throw new Error(`The Problems panel never held ${expected} row(s) with ${text} for ${steadyMs} ms: ${rows.join(' | ')}`);
}

describe('QLP beside the ESLint extension (installed from the .vsix)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let profile: Profile;

  before(async () => {
    profile = freshProfile();
    writeUserSettings(profile, {});
    installVsix(profile);
    const standIn = join(profile.root, 'stand-in-eslint.vsix');
    await createVSIX({
      cwd: join(repoRoot, 'test', 'fixtures', 'stand-in-eslint'),
      packagePath: standIn,
      dependencies: false,
      allowMissingRepository: true,
      skipLicense: true,
    });
    installVsix(profile, standIn);
    // A project the ESLint extension lints: ESLint installed in it, and its config asks for prefer-const.
    const workspace = join(mkdtempSync(join(tmpdir(), 'qlp-ws-')), 'linted');
    mkdirSync(join(workspace, 'node_modules'), { recursive: true });
    mkdirSync(join(workspace, 'src'));
    symlinkSync(join(repoRoot, 'node_modules', 'eslint'), join(workspace, 'node_modules', 'eslint'));
    writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'linted', type: 'module', private: true }));
    // Its own ESLint does not run no-eval (one of QLP's security rules): it would call the
    // disable comment QLP adds for it unused, unless told not to (docs/validation.md).
    writeFileSync(
      join(workspace, 'eslint.config.js'),
      "export default [{ linterOptions: { reportUnusedDisableDirectives: 'off' }, rules: { 'prefer-const': 'warn' } }];\n",
    );
    writeFileSync(
      join(workspace, 'src', 'app.js'),
      [
        'let unchanged = 3;',
        'export const doubled = unchanged * 2;',
        `export const token = '${fakeGithubToken}';`,
        'export function run(code) {',
        '  return eval(code);',
        '}',
        '',
      ].join('\n'),
    );
    workbench = await openWorkbench(profile, workspace);
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close('coexistence-final');
  });

  it("lists ESLint's prefer-const once while the ESLint extension is active; QLP's security findings stay", { timeout: 180_000 }, async () => {
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 60_000 });
    // A walkthrough taking the focus as the workbench settles can close Quick Open under it: retry.
    for (let attempt = 1; ; attempt++) {
      const opened = await openFile(page, 'app.js').then(
        () => true,
        (err: Error) => (attempt < 3 ? false : Promise.reject(err)),
      );
      if (opened) break;
      await page.keyboard.press('Escape');
    }
    await page.keyboard.press('Control+Shift+M');
    // QLP's findings have arrived (its first run loads its tools), then the count holds.
    await page.waitForFunction(
      () => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /secretlint/.test(r.textContent ?? '')),
      undefined,
      { timeout: 60_000 },
    );
    const rows = await steadyCount(page, 'prefer-const', 1);
    assert.ok(
      rows.some((r) => r.includes('Hard-coded GitHub token (secretlint: @secretlint/secretlint-rule-github)') && r.includes('secretlint')),
      rows.join(' | '),
    );
    assert.ok(
      rows.some((r) => r.includes('no-eval')),
      `QLP's security rules stay: ${rows.join(' | ')}`,
    );
    assert.ok(!rows.join('').includes('*****'), 'a masked value in a message');
    await screenshot(page, 'coexistence-problems');
  });

  it('still lists it once after QLP: Validate workspace', { timeout: 180_000 }, async () => {
    await runCommand(page, 'QLP: Validate workspace');
    await waitForNotification(page, /files validated/, 120_000);
    await steadyCount(page, 'prefer-const', 1);
    await screenshot(page, 'coexistence-after-workspace');
  });

  it('disables a rule for one line from the quick-fix menu, and Undo takes it back', { timeout: 120_000 }, async () => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+g');
    await page.keyboard.type('5:10');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Disable no-eval for this line' }).first();
    await action.waitFor({ timeout: 30_000 }).catch(async (err: Error) => {
      const offered = await page.locator('.action-widget .monaco-list-row').allTextContents();
      throw new Error(
        `${err.message}; the menu offered: ${offered.join(' | ') || 'nothing'} (screenshot: ${await screenshot(page, 'coexistence-disable-missing')})`,
      );
    });
    await screenshot(page, 'coexistence-disable-menu');
    // The menu takes keys, not clicks (a pointer block covers it while it opens).
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    for (let i = 0; i < 10 && !/Disable no-eval for this line/.test((await focused.textContent().catch(() => '')) ?? ''); i++)
      await page.keyboard.press('ArrowDown');
    assert.match((await focused.textContent()) ?? '', /Disable no-eval for this line/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => /eslint-disable-next-line\s+no-eval/.test(document.querySelector('.monaco-editor .view-lines')?.textContent ?? ''),
      undefined,
      { timeout: 20_000 },
    );
    await steadyCount(page, 'no-eval', 0);
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => !/eslint-disable-next-line/.test(document.querySelector('.monaco-editor .view-lines')?.textContent ?? ''), undefined, {
      timeout: 20_000,
    });
    await page.waitForFunction(() => /return\s+eval\(code\);/.test(document.querySelector('.monaco-editor .view-lines')?.textContent ?? ''), undefined, {
      timeout: 10_000,
    });
    await steadyCount(page, 'no-eval', 1);
  });

  it("lists QLP's copy too when qlp.validate.deferToExtensions is off", { timeout: 120_000 }, async () => {
    writeUserSettings(profile, { 'qlp.validate.deferToExtensions': false });
    await steadyCount(page, 'prefer-const', 2);
    await screenshot(page, 'coexistence-defer-off');
  });
});
