// Semantic search in a real VS Code (code-server 4.100.3, the packaged .vsix): the workspace is
// indexed in the background, a descriptive query typed into the Search view finds the function
// (also one that shares no word with its code), and clicking the result opens the file at its
// first line. The view says why it shows nothing, fits more than two results in a view of normal
// height, and keeps the query and its results across a switch to the Explorer and back.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { terms } from '../../language-server/src/index/tokens';
import { freshProfile, installVsix } from '../../scripts/codeServer';
import { fixtureDir } from '../support/searchFixture';
import { openWorkbench, paletteRows, runCommand, screenshot, webviewView, webviewWith, type Workbench } from '../support/workbench';

const ready = '[aria-label="QLP language server: ready"]';

describe('Semantic search in VS Code (installed from the .vsix)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let view: Frame;

  before(async () => {
    const workspace = join(mkdtempSync(join(tmpdir(), 'qlp-ws-')), 'shop');
    cpSync(fixtureDir, workspace, { recursive: true });
    const profile = freshProfile();
    installVsix(profile);
    workbench = await openWorkbench(profile, workspace);
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close('search-final');
  });

  it('starts with the server ready and offers QLP: Semantic search', { timeout: 60_000 }, async () => {
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 45_000 });
    const rows = await paletteRows(page, 'QLP: Semantic');
    await page.keyboard.press('Escape');
    assert.ok(
      rows.some((r) => r.startsWith('QLP: Semantic search')),
      rows.join(' | '),
    );
  });

  it('shows the Search view with the index status once the workspace is indexed', { timeout: 90_000 }, async () => {
    view = await webviewView(page, 'Search', /5 files, \d+ chunks/, 60_000);
    await view.getByText('Type to search: describe what the code does.').waitFor({ timeout: 5000 });
    await screenshot(page, 'search-view-indexed');
  });

  it('finds the function a descriptive query means, and opens it at its line on click', { timeout: 60_000 }, async () => {
    await view.locator('vscode-textfield input').fill('add up what the customer owes after the discount');
    const first = view.locator('li.result').first();
    await first.waitFor({ timeout: 20_000 });
    const head = (await first.locator('.result-head').textContent()) ?? '';
    assert.match(head, /^src\/cart\.ts:7 orderTotal/);
    assert.ok(await first.locator('mark', { hasText: /customer/i }).count(), 'query words are highlighted');
    await screenshot(page, 'search-results');
    await first.click();
    // The first file opened can wait for the editor's TypeScript support to start.
    await page.locator('.tab', { hasText: 'cart.ts' }).first().waitFor({ timeout: 40_000 });
    await page
      .locator('.statusbar-item', { hasText: /Ln 7, Col 1/ })
      .first()
      .waitFor({ timeout: 10_000 });
    await screenshot(page, 'search-opened-result');
  });

  it('finds a function by a description that shares no word with its code', { timeout: 60_000 }, async () => {
    const query = 'postpone running until calls stop arriving';
    const code = readFileSync(join(fixtureDir, 'src', 'events.ts'), 'utf8');
    const shared = terms(query).filter((t) => new Set(terms(`debounce src/events.ts ${code}`)).has(t));
    assert.deepEqual(shared, [], 'the query shares no term with the function, its name or its path');
    await view.locator('vscode-textfield input').fill(query);
    const first = view.locator('li.result').first();
    await first.filter({ hasText: 'debounce' }).waitFor({ timeout: 20_000 });
    assert.match((await first.locator('.result-head').textContent()) ?? '', /^src\/events\.ts:1 debounce/);
    await screenshot(page, 'search-no-shared-word');
  });

  it('moves through results with the keyboard and opens one with Enter', { timeout: 60_000 }, async () => {
    const input = view.locator('vscode-textfield input');
    await input.fill('wait twice as long after each failure before calling again');
    // The new query's answer replaces the old list: wait until it leads with the retry helper.
    await view.locator('li.result').first().filter({ hasText: 'withBackoff' }).waitFor({ timeout: 20_000 });
    await input.press('ArrowDown');
    await screenshot(page, 'search-keyboard');
    await page.keyboard.press('Enter'); // the focused result (the first) opens
    await page.locator('.tab', { hasText: 'retry.ts' }).first().waitFor({ timeout: 15_000 });
    await page
      .locator('.statusbar-item', { hasText: /Ln 1, Col 1/ })
      .first()
      .waitFor({ timeout: 10_000 });
  });

  it('says why there are no results when nothing matches on a ready index', { timeout: 30_000 }, async () => {
    await view.locator('vscode-textfield input').fill('kubernetes helm chart rollout');
    await view.getByText('No good match for “kubernetes helm chart rollout”.').waitFor({ timeout: 15_000 });
    await view.getByText('Try words that name what the code does, or re-index.').waitFor({ timeout: 1000 });
    assert.equal(await view.locator('li.result').count(), 0);
    await screenshot(page, 'search-no-match');
  });

  it('fits more than two results in a view of normal height, and keeps query and results across a switch to the Explorer', { timeout: 60_000 }, async () => {
    // The other QLP views folded away: the Search view gets the sidebar's height.
    for (const name of ['Status', 'Usage', 'Capsules']) {
      const header = page.locator('.part.sidebar .pane-header', { hasText: new RegExp(`^${name}`) }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    const query = 'user password';
    await view.locator('vscode-textfield input').fill(query);
    await view.locator('li.result').nth(2).waitFor({ timeout: 20_000 });
    const heads = await view.locator('li.result .result-head').allTextContents();
    const fit = await view.locator('li.result').evaluateAll((items) => items.filter((li) => li.getBoundingClientRect().bottom <= window.innerHeight).length);
    await screenshot(page, 'search-compact-rows');
    assert.ok(fit > 2, `only ${fit} of ${heads.length} results fit in a ${await view.evaluate(() => window.innerHeight)} px view`);
    const rowHeight = await view
      .locator('li.result')
      .first()
      .evaluate((li) => li.getBoundingClientRect().height);
    assert.ok(rowHeight < 48, `a result is two short lines (location, snippet), not ${rowHeight} px`);

    // To the Explorer (by command: clicking the icon of a container already shown would close the sidebar), and back.
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view').first().waitFor({ timeout: 10_000 });
    await page.locator('.activitybar .action-item a[aria-label^="QLP"]').first().click();
    const again = await webviewWith(page, /5 files, \d+ chunks/, 20_000);
    assert.equal(await again.locator('vscode-textfield input').inputValue(), query);
    assert.deepEqual(await again.locator('li.result .result-head').allTextContents(), heads);
    await screenshot(page, 'search-after-switch');
  });
});
