// The packaged extension in a real VS Code (code-server 4.100.3), driven through its UI.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { freshProfile, installVsix, startCodeServer, type RunningServer } from '../../scripts/codeServer';
import { repoRoot } from '../support/paths';
import { paletteRows, runCommand, screenshot, webviewFrame } from '../support/workbench';

const ready = '[aria-label="QLP language server: ready"]';

describe('QLP in VS Code (installed from the .vsix)', () => {
  let server: RunningServer | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;

  before(async () => {
    const profile = freshProfile();
    installVsix(profile);
    const workspace = join(mkdtempSync(join(tmpdir(), 'qlp-ws-')), 'hello');
    cpSync(join(repoRoot, 'examples', 'hello'), workspace, { recursive: true });
    server = await startCodeServer(profile, workspace);
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    if (page) await screenshot(page, 'workbench-final').catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it('activates and shows the server ready in the status bar', { timeout: 60_000 }, async () => {
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 45_000 });
    await screenshot(page, 'workbench-status-bar-ready');
  });

  it('opens the QLP activity-bar container with its Status view', { timeout: 60_000 }, async () => {
    await page.locator('.activitybar .action-item a[aria-label^="QLP"]').first().click();
    await page.locator('.part.sidebar .composite.title').getByText('QLP', { exact: false }).first().waitFor({ timeout: 20_000 });
    const view = webviewFrame(page);
    await view.getByText('Language server ready').waitFor({ timeout: 30_000 });
    await view.getByText(/QLP \d+\.\d+\.\d+ · pid \d+/).waitFor({ timeout: 30_000 });
    assert.ok(await view.getByText('Node.js:').isVisible());
    await screenshot(page, 'workbench-qlp-container');
  });

  it('hides the commands whose features are not built yet', { timeout: 30_000 }, async () => {
    const rows = await paletteRows(page, 'QLP: ');
    await page.keyboard.press('Escape');
    assert.ok(rows.some((r) => r.startsWith('QLP: Restart language server')), rows.join(' | '));
    assert.ok(rows.some((r) => r.startsWith('QLP: Show output')), rows.join(' | '));
    for (const hidden of ['QLP: Generate project', 'QLP: Semantic search', 'QLP: Export capsule', 'QLP: Validate workspace', 'QLP: Set API key']) {
      assert.ok(!rows.some((r) => r.startsWith(hidden)), `${hidden} is offered: ${rows.join(' | ')}`);
    }
  });

  it('restarts the language server from the command palette', { timeout: 60_000 }, async () => {
    const view = webviewFrame(page);
    const pidOf = async () => Number(/pid (\d+)/.exec((await view.getByText(/ · pid \d+/).textContent()) ?? '')?.[1]);
    const before = await pidOf();
    await runCommand(page, 'QLP: Restart language server');
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 30_000 });
    await view.getByText(new RegExp(`pid (?!${before}\\b)\\d+`)).waitFor({ timeout: 30_000 });
    const after = await pidOf();
    assert.ok(after > 0 && after !== before, `pid before ${before}, after ${after}`);
    await screenshot(page, 'workbench-after-restart');
  });

  it('shows its output channel from the status bar', { timeout: 30_000 }, async () => {
    await page.locator(ready).first().click();
    // Monaco renders spaces as non-breaking ones.
    await page.waitForFunction(() => /QLP activated in [\d.]+ ms/.test((document.querySelector('.part.panel .view-lines')?.textContent ?? '').replace(/\u00a0/g, ' ')), undefined, { timeout: 20_000 });
    await screenshot(page, 'workbench-output');
  });
});
