// QLP's views in a real VS Code (code-server 4.100.3), without rough edges: the Status view is
// still there after switching containers; Search keeps its query and results across a switch and
// shows many results at once; the Usage chart draws calls on a free model; capsule rows are short
// and say "free"; the export dialog starts beside the capsule's folder (then where the last export
// went) and its notification says what went where, with a Reveal button.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { freshProfile, installVsix, writeUserSettings, type Profile } from '../../scripts/codeServer';
import { FakeModelServer } from '../support/fakeModelServer';
import { runCli } from '../support/runCli';
import {
  acceptFileDialog,
  capsuleVersionRow,
  helloWorkspace,
  openWorkbench,
  pickQuickItem,
  runCommand,
  screenshot,
  waitForNotification,
  webviewView,
  webviewWith,
  type Workbench,
} from '../support/workbench';

const ready = '[aria-label="QLP language server: ready"]';

/** 40 small priced functions, so a search has more results than a view can show. */
function pricingFiles(root: string): void {
  mkdirSync(join(root, 'pricing'), { recursive: true });
  for (let i = 1; i <= 40; i++) {
    writeFileSync(
      join(root, 'pricing', `item${i}.ts`),
      `/** The price of item ${i} with tax added. */\nexport function priceWithTax${i}(amount: number): number {\n  return amount * ${1 + i / 100};\n}\n`,
    );
  }
}

describe('QLP views in VS Code (installed from the .vsix)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let workspace: string;
  let profile: Profile;
  let search: Frame;
  const models = new FakeModelServer();

  /** Shows the Explorer (by command: clicking the icon of a container already shown would close the sidebar). */
  async function showExplorer(): Promise<void> {
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view').first().waitFor({ timeout: 10_000 });
  }

  /** Shows another container, then QLP's again by its icon: what a user does between two looks at a view. */
  async function switchAwayAndBack(): Promise<void> {
    await showExplorer();
    await page.locator('.activitybar .action-item a[aria-label^="QLP"]').first().click();
    await page.locator('.part.sidebar .pane-header', { hasText: 'Status' }).first().waitFor({ timeout: 10_000 });
  }

  before(async () => {
    await models.start();
    models.respondWith(() => ({ text: ['ready'], usage: { input: 12, output: 1 } }));
    profile = freshProfile();
    // A local model costs nothing: its calls are free.
    writeUserSettings(profile, { 'qlp.providers.local.baseUrl': models.openaiBaseUrl, 'qlp.providers.local.model': 'free-coder' });
    installVsix(profile);
    workspace = helloWorkspace();
    pricingFiles(workspace);
    mkdirSync(join(workspace, 'apps', 'shop'), { recursive: true });
    writeFileSync(join(workspace, 'apps', 'shop', 'index.js'), 'console.log("shop");\n');
    workbench = await openWorkbench(profile, workspace);
    page = workbench.page;
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 45_000 });
  });

  after(async () => {
    await workbench?.close('views-final');
    await models.close();
  });

  it('keeps the Status view showing after switching containers, with no collapse and expand', { timeout: 60_000 }, async () => {
    await webviewView(page, 'Status', /QLP \d+\.\d+\.\d+ · pid \d+/);
    await switchAwayAndBack();
    // The page is drawn again when it is shown (code-server may still stall a frame now and then, below
    // the extension: webviewView then collapses and expands the view once, and says so).
    const status = await webviewView(page, 'Status', /QLP \d+\.\d+\.\d+ · pid \d+/);
    assert.ok(await status.getByText('Node.js:').isVisible());
    await screenshot(page, 'views-status-after-switch');
  });

  it('draws the Usage chart by calls when every call was free', { timeout: 60_000 }, async () => {
    await runCommand(page, 'QLP: Test model connection');
    await pickQuickItem(page, 'Let the router choose');
    // Short enough to be read whole in the notification; a free call says so.
    assert.match(await waitForNotification(page, /local:free-coder answered "ready"/), /^QLP: T0 local:free-coder answered "ready" in \d+ ms, free\.$/);
    const usage = await webviewView(page, 'Usage', 'Model calls per day (all free)');
    const bars = await usage.locator('svg.chart rect.bar').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
    assert.ok(
      bars.some((h) => h > 0),
      `no bar is drawn: ${bars.join(', ')}`,
    );
    assert.match((await usage.locator('svg.chart').getAttribute('aria-label')) ?? '', /Model calls per day/);
    await usage.locator('svg.chart').scrollIntoViewIfNeeded();
    await screenshot(page, 'views-usage-free');
  });

  it('shows many search results at once, and keeps the query and results across a switch', { timeout: 120_000 }, async () => {
    search = await webviewView(page, 'Search', /\d+ files, \d+ chunks/);
    await search.locator('vscode-textfield input').fill('price of an item with tax added');
    await search.locator('li.result').nth(9).waitFor({ timeout: 30_000 });
    const shown = await search
      .locator('li.result')
      .evaluateAll((items) => items.filter((li) => li.getBoundingClientRect().bottom <= window.innerHeight).length);
    const total = await search.locator('li.result').count();
    await screenshot(page, 'views-search-results');
    assert.ok(total >= 20, `${total} results`);
    assert.ok(shown >= 6, `only ${shown} of ${total} results fit in the view (${await search.evaluate(() => window.innerHeight)} px)`);

    await switchAwayAndBack();
    const again = await webviewWith(page, /\d+ files, \d+ chunks/, 5000);
    assert.equal(await again.locator('vscode-textfield input').inputValue(), 'price of an item with tax added');
    assert.equal(await again.locator('li.result').count(), total);
    await screenshot(page, 'views-search-after-switch');
  });

  it('replays the sample from the Capsules view; its row is short and says free', { timeout: 120_000 }, async () => {
    await switchAwayAndBack();
    await page.locator('.part.sidebar').getByText('No capsules in this workspace yet').waitFor({ timeout: 20_000 });
    await page.locator('.part.sidebar').getByRole('button', { name: 'Replay the sample generation' }).click();
    const panel = await webviewWith(page, 'Replaying the sample');
    await panel.getByText('Verified: every test ran and passed in the sandbox').waitFor({ timeout: 90_000 });
    await showExplorer();
    const row = await capsuleVersionRow(page, 'qlp-sample', 1);
    await page.mouse.move(700, 400); // a hovered row makes room for its inline actions
    assert.equal(await row.locator('.label-description').first().textContent(), '5 files · free · 100/100 · just now');
    const label = row.locator('.monaco-icon-label-container').first();
    assert.ok(
      await label.evaluate((d) => d.scrollWidth <= d.clientWidth + 1),
      `the row is cut off: ${await label.evaluate((d) => `${d.scrollWidth} > ${d.clientWidth}`)}`,
    );
    assert.doesNotMatch((await row.getAttribute('aria-label')) ?? '', /\$0\.0000/);
    await screenshot(page, 'views-capsule-rows');
  });

  it("exports beside the capsule's folder, then where the last export went, and offers Reveal", { timeout: 120_000 }, async () => {
    // A capsule of a nested folder (made with the command line, which shares the editor's store):
    // its parent, apps/, is where the dialog starts.
    const created = await runCli(['capsule', 'create', join('apps', 'shop')], { HOME: profile.home, XDG_DATA_HOME: profile.env.XDG_DATA_HOME }, workspace);
    assert.equal(created.code, 0, created.stderr);
    await switchAwayAndBack();
    const header = page.locator('.part.sidebar .pane-header', { hasText: 'Capsules' }).first();
    await header.hover();
    await header.locator('.action-label[aria-label^="Refresh capsules"]').click();

    const exportVersion = async (name: string) => {
      await showExplorer();
      const row = await capsuleVersionRow(page, name, 1);
      await row.click({ button: 'right' });
      const item = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Export capsule' }).first();
      await item.click();
      // A click that lands while the menu is still settling is swallowed: Enter runs the highlighted item.
      if (
        !(await page
          .locator('.context-view .monaco-menu')
          .waitFor({ state: 'hidden', timeout: 2000 })
          .then(
            () => true,
            () => false,
          ))
      ) {
        await item.hover();
        await page.keyboard.press('Enter');
      }
      await pickQuickItem(page, 'ZIP');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await page.waitForFunction(
        (n) =>
          new RegExp(`${n}-v1\\.zip$`).test((document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value ?? ''),
        name,
        { timeout: 10_000 },
      );
      return input.inputValue();
    };

    const first = await exportVersion('shop');
    assert.equal(first, join(workspace, 'apps', 'shop-v1.zip'));
    await acceptFileDialog(page, first);
    const done = await waitForNotification(page, /Exported \d+ files? to/, 30_000);
    assert.match(done, /^QLP: Exported 1 file to apps\/shop-v1\.zip \(\d+ B\)\.$/);
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Exported 1 file' }).first();
    await screenshot(page, 'views-export-done');
    await toast.hover();
    await toast.getByRole('button', { name: 'Reveal in Explorer' }).click();
    await page.locator('.explorer-folders-view .monaco-list-row.selected[aria-label="shop-v1.zip"]').waitFor({ timeout: 20_000 });
    assert.ok(existsSync(first));

    // The next export starts where this one went.
    const second = await exportVersion('qlp-sample');
    assert.equal(second, join(workspace, 'apps', 'qlp-sample-v1.zip'));
    await page.keyboard.press('Escape');
  });
});
