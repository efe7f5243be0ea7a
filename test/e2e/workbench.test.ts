// The packaged extension in a real VS Code (code-server 4.100.3), driven through its UI, with a
// loopback model server standing in for a local model.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { freshProfile, installVsix, writeUserSettings, type Profile } from '../../scripts/codeServer';
import { FakeModelServer } from '../support/fakeModelServer';
import { repoRoot } from '../support/paths';
import {
  explorerContextCommand,
  notificationTexts,
  openFile,
  openWorkbench,
  paletteRows,
  pickQuickItem,
  problemRows,
  runCommand,
  screenshot,
  waitForNotification,
  webviewView,
  type Workbench,
} from '../support/workbench';
import { fakeGithubToken, tsconfig } from '../support/projects';

const ready = '[aria-label="QLP language server: ready"]';

/** The first file called `name` (or ending in it, with `suffix`) below `dir`. */
function findFile(dir: string, name: string, suffix = false): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && (suffix ? entry.name.endsWith(name) : entry.name === name)) return join(entry.parentPath, entry.name);
  }
  return undefined;
}
const secretKey = 'sk-e2e-never-shown';

/** The Status view, brought into sight as a user would: another view may hold the sidebar. */
const statusView = (page: Page) => webviewView(page, 'Status', 'Language server ready');

describe('QLP in VS Code (installed from the .vsix)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let profile: Profile;
  const models = new FakeModelServer();

  before(async () => {
    await models.start();
    // 12 tokens in, 1 out at $1000 per million tokens: $0.0130 a call.
    models.respondWith(() => ({ text: ['ready'], usage: { input: 12, output: 1 } }));
    profile = freshProfile();
    writeUserSettings(profile, {
      'qlp.providers.local.baseUrl': models.openaiBaseUrl,
      'qlp.providers.local.model': 'fake-coder',
      'qlp.pricing': { 'local:fake-coder': { inputPerMTok: 1000, outputPerMTok: 1000 } },
      // A verbose trace prints message contents: keys in it must come out redacted.
      'qlp.trace.server': 'verbose',
      // QLP's own type errors in the editor, beside the built-in TypeScript's (the default leaves them to it).
      'qlp.validate.typesWithBuiltinTypeScript': true,
    });
    installVsix(profile);
    const workspace = join(mkdtempSync(join(tmpdir(), 'qlp-ws-')), 'hello');
    cpSync(join(repoRoot, 'examples', 'hello'), workspace, { recursive: true });
    // A TypeScript file with a type error, a hard-coded secret and a problem ESLint can fix.
    writeFileSync(join(workspace, 'tsconfig.json'), tsconfig);
    mkdirSync(join(workspace, 'src'));
    writeFileSync(join(workspace, 'src', 'math.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
    writeFileSync(
      join(workspace, 'src', 'app.ts'),
      [
        "import { add } from './math.js';",
        '',
        "export const total: number = add(1, '2');",
        `export const token = '${fakeGithubToken}';`,
        'let unchanged = 3;',
        'export const doubled = unchanged * 2;',
        '',
      ].join('\n'),
    );
    // A generated-style project to test in the sandbox, and one whose test never ends (to cancel).
    cpSync(join(repoRoot, 'test', 'fixtures', 'sandbox', 'node-pass'), join(workspace, 'cart'), { recursive: true });
    mkdirSync(join(workspace, 'slow'));
    writeFileSync(join(workspace, 'slow', 'package.json'), JSON.stringify({ scripts: { test: 'node --test' } }));
    writeFileSync(join(workspace, 'slow', 'wait.test.js'), "require('node:test')('waits', () => new Promise((r) => setTimeout(r, 120000)));\n");
    workbench = await openWorkbench(profile, workspace);
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close('workbench-final');
    await models.close();
  });

  it('activates and shows the server ready in the status bar', { timeout: 60_000 }, async () => {
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 45_000 });
    await screenshot(page, 'workbench-status-bar-ready');
  });

  it('opens the QLP activity-bar container with its Status view', { timeout: 90_000 }, async () => {
    await page.locator('.activitybar .action-item a[aria-label^="QLP"]').first().click();
    await page.locator('.part.sidebar .composite.title').getByText('QLP', { exact: false }).first().waitFor({ timeout: 20_000 });
    const view = await statusView(page);
    await view.getByText(/QLP \d+\.\d+\.\d+ · pid \d+/).waitFor({ timeout: 30_000 });
    assert.ok(await view.getByText('Node.js:').isVisible());
    await view.getByText('local').first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'workbench-qlp-container');
  });

  it('offers the commands of every shipped feature', { timeout: 30_000 }, async () => {
    const rows = await paletteRows(page, 'QLP: ');
    await page.keyboard.press('Escape');
    for (const shown of [
      'QLP: Restart language server',
      'QLP: Show output',
      'QLP: Set API key',
      'QLP: Test model connection',
      'QLP: Validate workspace',
      'QLP: Run tests in sandbox',
      'QLP: Generate project',
      'QLP: Semantic search',
    ]) {
      assert.ok(
        rows.some((r) => r.startsWith(shown)),
        `${shown} is missing: ${rows.join(' | ')}`,
      );
    }
  });

  it('tests the model connection; the status bar and the Usage view show the ledger', { timeout: 90_000 }, async () => {
    await runCommand(page, 'QLP: Test model connection');
    await pickQuickItem(page, 'Let the router choose');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.notifications-toasts .notification-list-item-message')].some((n) =>
          /T0 local:fake-coder answered "ready"/.test(n.textContent ?? ''),
        ),
      undefined,
      { timeout: 30_000 },
    );
    assert.equal(models.requests.length, 1);
    assert.equal(models.requests[0].body.model, 'fake-coder');
    await page
      .locator('[aria-label^="QLP: $0.0130 of $10.00 spent today in 1 model calls; last model local:fake-coder (T0)"]')
      .first()
      .waitFor({ timeout: 20_000 });
    const usage = await webviewView(page, 'Usage', /Today: \$0\.0130 of \$10\.00 daily budget/);
    await usage.getByText('Last model: T0 local:fake-coder').waitFor({ timeout: 10_000 });
    await usage.locator('table caption', { hasText: 'By provider' }).waitFor();
    await screenshot(page, 'workbench-usage');
  });

  it('keeps an API key in secret storage and the server sees the provider configured', { timeout: 90_000 }, async () => {
    await runCommand(page, 'QLP: Set API key');
    await pickQuickItem(page, 'OpenAI');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    assert.equal(await input.getAttribute('type'), 'password');
    await input.fill(secretKey);
    await input.press('Enter');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.notifications-toasts .notification-list-item-message')].some((n) => /OpenAI key is saved/.test(n.textContent ?? '')),
      undefined,
      { timeout: 20_000 },
    );
    const status = await statusView(page);
    await status.getByText('Refresh').click();
    await status.getByText(/openai, local|local, openai/).waitFor({ timeout: 20_000 });
    const notes = await notificationTexts(page);
    assert.ok(notes.every((n) => !n.includes(secretKey)));
    await screenshot(page, 'workbench-api-key');
  });

  it('shows a type error and a hard-coded secret as diagnostics, and applies an ESLint quick fix', { timeout: 120_000 }, async () => {
    await openFile(page, 'app.ts');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /secretlint/.test(r.textContent ?? '')),
      undefined,
      { timeout: 30_000 },
    );
    const rows = await problemRows(page);
    const typeError = rows.find((r) => r.includes('TS2345'));
    assert.ok(typeError, `no TS2345 row: ${rows.join(' | ')}`);
    assert.match(typeError, /Argument of type 'string' is not assignable to parameter of type 'number'/);
    assert.match(typeError, /typescript/);
    const secret = rows.find((r) => r.includes('@secretlint/secretlint-rule-github'));
    assert.ok(secret, `no secretlint row: ${rows.join(' | ')}`);
    assert.match(secret, /secretlint/);
    assert.ok(!rows.join('').includes(fakeGithubToken), 'the secret is shown in the Problems panel');
    assert.ok(
      rows.some((r) => r.includes('prefer-const') && r.includes('eslint')),
      rows.join(' | '),
    );
    assert.ok((await page.locator('.monaco-editor .squiggly-error').count()) >= 2);
    await screenshot(page, 'workbench-validation-problems');

    // The ESLint fix for `let unchanged = 3;` (line 5), from the quick-fix menu.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+g');
    await page.keyboard.type('5:5');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget').getByText('Fix this prefer-const problem').waitFor({ timeout: 20_000 });
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    assert.match((await focused.textContent()) ?? '', /Fix this prefer-const problem/);
    await screenshot(page, 'workbench-validation-quick-fix');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /const\s+unchanged\s*=\s*3;/.test(document.querySelector('.monaco-editor .view-lines')?.textContent ?? ''), undefined, {
      timeout: 20_000,
    });
    await page.waitForFunction(
      () => ![...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /prefer-const/.test(r.textContent ?? '')),
      undefined,
      { timeout: 30_000 },
    );
    await screenshot(page, 'workbench-validation-fixed');
  });

  it('validates the workspace from the command palette', { timeout: 120_000 }, async () => {
    await runCommand(page, 'QLP: Validate workspace');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.notifications-toasts .notification-list-item-message')].some((n) =>
          /QLP: \d+ files? validated: \d+ errors?, \d+ warnings?, \d+ notes?\. Score \d+\/100/.test(n.textContent ?? ''),
        ),
      undefined,
      { timeout: 90_000 },
    );
    const notes = await notificationTexts(page);
    const summary = notes.find((n) => /files validated/.test(n)) ?? '';
    // index.js, README.md, tsconfig.json, src/app.ts, src/math.ts, and the sandbox folders `cart`
    // (3 files) and `slow` (2): the type error and the secret are errors.
    assert.match(summary, /QLP: 10 files validated: [1-9]\d* errors?/);
    await screenshot(page, 'workbench-validate-workspace');
  });

  it('restarts the language server from the command palette', { timeout: 90_000 }, async () => {
    const view = await statusView(page);
    const pidOf = async () => Number(/pid (\d+)/.exec((await view.getByText(/ · pid \d+/).textContent()) ?? '')?.[1]);
    const before = await pidOf();
    await runCommand(page, 'QLP: Restart language server');
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 30_000 });
    await view.getByText(new RegExp(`pid (?!${before}\\b)\\d+`)).waitFor({ timeout: 30_000 });
    const after = await pidOf();
    assert.ok(after > 0 && after !== before, `pid before ${before}, after ${after}`);
    await screenshot(page, 'workbench-after-restart');
  });

  /** Waits until VS Code's log of the QLP Sandbox output channel matches, and returns it. */
  async function sandboxLog(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      const log = findFile(join(profile.userData, 'logs'), 'QLP Sandbox.log', true);
      text = log ? readFileSync(log, 'utf8') : '';
      if (pattern.test(text)) return text;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`The QLP Sandbox output never showed ${pattern}; it has:\n${text}`);
  }

  it("runs a folder's tests in the sandbox from the Explorer, with live output and the result", { timeout: 120_000 }, async () => {
    await explorerContextCommand(page, 'cart', 'Run tests in sandbox');
    const note = await waitForNotification(page, /Tests passed: 3 passed, 0 failed, 1 skipped in the (docker|bwrap) sandbox/, 90_000);
    assert.match(note, /^QLP: Tests passed/);
    const output = await sandboxLog(/■ Tests passed: 3 passed, 0 failed, 1 skipped/);
    assert.match(output, /— Running node --test --experimental-test-coverage/);
    assert.match(output, /[#ℹ] pass 3/, 'the live output of the tests reached the channel');
    assert.match(output, /Inputs: 3 files, sha256 [0-9a-f]{64}/);
    assert.equal(
      await page
        .locator('.part.panel .monaco-select-box')
        .first()
        .inputValue()
        .catch(() => page.locator('.part.panel .monaco-select-box').first().getAttribute('title')),
      'QLP Sandbox',
    );
    await screenshot(page, 'workbench-sandbox-result');
    await page
      .locator('.part.panel .view-lines')
      .getByText(/■\sTests\spassed/)
      .waitFor({ timeout: 10_000 });
    // The receipt opens as JSON from the result notification.
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Tests passed: 3 passed' }).first();
    await toast.hover();
    await toast.getByRole('button', { name: 'Show receipt' }).click();
    await page
      .locator('.editor-instance .view-lines')
      .getByText(/"receiptVersion":\s1/)
      .waitFor({ timeout: 20_000 });
    await screenshot(page, 'workbench-sandbox-receipt');
  });

  it('cancels a sandboxed run from the progress notification', { timeout: 120_000 }, async () => {
    await explorerContextCommand(page, 'slow', 'Run tests in sandbox');
    const progress = page.locator('.notifications-toasts .notification-toast', { hasText: 'QLP: running tests in the sandbox' });
    await progress.waitFor({ timeout: 30_000 });
    await sandboxLog(/— Running node --test/, 60_000);
    await screenshot(page, 'workbench-sandbox-running');
    await progress.hover();
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await sandboxLog(/■ Cancelled: the sandbox was stopped and removed\./, 20_000);
    await progress.waitFor({ state: 'detached', timeout: 20_000 });
    await screenshot(page, 'workbench-sandbox-cancelled');
  });

  it('shows its output channel from the status bar, without secrets in it', { timeout: 30_000 }, async () => {
    await page.locator(ready).first().click();
    await page.locator('.part.panel .view-lines').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'workbench-output');
    // The whole channel, from the log file VS Code keeps of it (the panel renders only what is in view).
    const log = findFile(join(profile.userData, 'logs'), 'QLP.log');
    assert.ok(log, 'VS Code kept no log of the QLP output channel');
    const output = readFileSync(log, 'utf8');
    assert.match(output, /QLP activated in [\d.]+ ms/);
    assert.match(output, /qlp\/secrets\/get/, 'the verbose trace shows the key requests');
    assert.match(output, /‹redacted›/);
    assert.ok(!output.includes(secretKey), 'a key reached the output');
  });
});
