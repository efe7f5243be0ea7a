// Small helpers for driving the VS Code workbench in a browser page.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { startCodeServer, type Profile, type RunningServer } from '../../scripts/codeServer';
import { launchBrowser } from './browser';
import { repoRoot } from './paths';

export const resultsDir = join(repoRoot, 'test-results');

/** The last errors each page's frames logged, for failure messages. */
const consoleErrors = new WeakMap<Page, string[]>();

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export interface Workbench {
  server: RunningServer;
  browser: BrowserContext;
  page: Page;
  /** Screenshots the final state as `<name>.png`, closes the browser, stops the server, removes the profile. */
  close(name: string): Promise<void>;
}

/** A copy of examples/hello in a new temporary folder, for one suite to change as it likes. */
export function helloWorkspace(): string {
  const workspace = join(mkdtempSync(join(tmpdir(), 'qlp-ws-')), 'hello');
  cpSync(join(repoRoot, 'examples', 'hello'), workspace, { recursive: true });
  return workspace;
}

/**
 * Starts code-server with `profile` on `workspace` and opens it in Chromium, once the workbench is
 * up. With `workspaceTrust`, VS Code's Workspace Trust is on (the profile's settings decide it).
 */
export async function openWorkbench(profile: Profile, workspace: string, options: { workspaceTrust?: boolean } = {}): Promise<Workbench> {
  const server = await startCodeServer(profile, workspace, undefined, options);
  let browser: BrowserContext | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage();
    const errors: string[] = [];
    consoleErrors.set(page, errors);
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      errors.push(message.text().slice(0, 300));
      if (errors.length > 10) errors.shift();
    });
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const opened = browser;
    return {
      server,
      browser: opened,
      page,
      async close(name) {
        await screenshot(page, name).catch(() => undefined);
        await opened.close();
        await server.stop();
        rmSync(profile.root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close();
    await server.stop();
    throw err;
  }
}

/** Opens the command palette on `text` and returns the visible row labels. */
export async function paletteRows(page: Page, text: string): Promise<string[]> {
  // A view that takes the focus as it loads closes the palette, before or after the text is typed:
  // it is opened again, twice at most.
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  for (let attempt = 1; ; attempt++) {
    const input = await openPalette(page);
    const typed = await input.fill(`>${text}`, { timeout: 5000 }).then(
      () => true,
      (err: unknown) => (attempt === 3 ? Promise.reject(err) : false),
    );
    if (typed) {
      await rows
        .first()
        .waitFor({ timeout: 3000 })
        .catch(() => undefined);
      await page.waitForTimeout(300);
      if ((await input.isVisible()) || attempt === 3) return rows.evaluateAll((all) => all.map((r) => r.getAttribute('aria-label') ?? ''));
    }
    await page.keyboard.press('Escape');
  }
}

/**
 * Opens the command palette and returns its input. Keys typed while a webview's frame holds the
 * focus reach the workbench only through that frame's script, and a frame that never loaded
 * swallows F1: the focus goes to the workbench first, and F1 is pressed again (three times at
 * most) when the palette does not show.
 */
export async function openPalette(page: Page): Promise<Locator> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 1; ; attempt++) {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('F1');
    const shown = await input.waitFor({ state: 'visible', timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (shown) return input;
    if (attempt === 3) throw new Error('The command palette did not open after three presses of F1.');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
  }
}

/**
 * Runs a command from the palette by its full title, retrying while the extension activates and
 * when the palette closed under it (a view taking the focus).
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await paletteRows(page, title).catch(() => [] as string[]);
    const row = page.locator(`.quick-input-widget .monaco-list-row[aria-label^="${title}"]`).first();
    if (
      rows.some((r) => r.startsWith(title)) &&
      (await row.click({ timeout: 5000 }).then(
        () => true,
        () => false,
      ))
    )
      return;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
  }
  throw new Error(`The command palette never offered "${title}".`);
}

/** The content frame of the webview that shows `text` (views are iframes in iframes). */
export async function webviewWith(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.name() !== 'active-frame' && !frame.url().includes('fake.html')) continue;
      if (
        await frame
          .getByText(text)
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    await page.waitForTimeout(250);
  }
  // What was there instead, to tell a blank view from one in another state.
  const seen = await Promise.all(
    page
      .frames()
      .filter((f) => f.name() === 'active-frame' || f.url().includes('fake.html'))
      .map(async (f) =>
        JSON.stringify(
          (
            (await f
              .locator('body')
              .innerText({ timeout: 1000 })
              .catch(() => '?')) || '(blank)'
          ).slice(0, 120),
        ),
      ),
  );
  const shot = await screenshot(page, `webview-timeout-${Date.now()}`).catch(() => 'none');
  const frames = page.frames().map((f) => f.name() || '(unnamed)');
  const errors = consoleErrors.get(page) ?? [];
  throw new Error(
    `No webview showed ${String(text)} within ${timeoutMs} ms; the webviews showed ${seen.join(', ') || 'nothing'} (screenshot: ${shot}); the page's frames: ${frames.join(', ')}; its last console errors: ${errors.map((e) => JSON.stringify(e)).join(', ') || 'none'}.`,
  );
}

/**
 * Focuses one of QLP's webview views (its "Focus on … View" command) and returns its webview once
 * it shows `text`. Now and then, on a busy machine, code-server never loads a webview's frame; a
 * user would collapse and expand the view, which gives it a new frame, and so does this, once,
 * saying so in the test's output. A view that is broken stays broken and still fails.
 */
export async function webviewView(page: Page, viewName: string, text: string | RegExp, timeoutMs = 30_000): Promise<Frame> {
  await runCommand(page, `QLP: Focus on ${viewName} View`);
  try {
    return await webviewWith(page, text, Math.min(15_000, timeoutMs));
  } catch (err) {
    console.warn(`The ${viewName} view: ${(err as Error).message} Collapsing and expanding it once.`);
    const header = page.locator('.pane-header', { hasText: viewName }).first();
    await header.click();
    await page.waitForTimeout(500);
    await header.click();
    return webviewWith(page, text, timeoutMs);
  }
}

/** Picks a row of the open quick pick by the start of its label. */
export async function pickQuickItem(page: Page, label: string): Promise<void> {
  const row = page.locator(`.quick-input-widget .monaco-list-row[aria-label^="${label}"]`).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
}

/** The text of the visible notifications. */
export async function notificationTexts(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message').allTextContents();
}

/**
 * Accepts the simple file dialog (the browser VS Code's save and open dialog, a quick input) with
 * `path`. The dialog ignores Enter while it is still listing the folder typed, so Enter is pressed
 * again until the dialog closes.
 */
export async function acceptFileDialog(page: Page, path: string, timeoutMs = 15_000): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await input.fill(path);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await page.waitForTimeout(300);
    if ((await input.inputValue()) !== path) await input.fill(path);
    await input.press('Enter');
    if (
      await widget.waitFor({ state: 'hidden', timeout: 1500 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  throw new Error(`The file dialog did not accept ${path}.`);
}

/** Opens a workspace file through Quick Open by its name. */
export async function openFile(page: Page, name: string): Promise<void> {
  const row = page.locator(`.quick-input-widget .monaco-list-row[aria-label*="${name}"]`).first();
  // Quick Open's file search may not have the folder yet on a busy machine: ask again, twice at most.
  for (let attempt = 1; ; attempt++) {
    const input = await openPalette(page);
    await input.fill(name);
    if (
      await row.waitFor({ state: 'visible', timeout: 20_000 }).then(
        () => true,
        () => attempt === 3,
      )
    )
      break;
    await page.keyboard.press('Escape');
  }
  await row.click();
  await page.locator(`.tabs-container .tab[aria-label^="${name}"]`).first().waitFor({ timeout: 20_000 });
}

/** The text of the Problems panel's rows (message, source and code of each marker). */
export async function problemRows(page: Page): Promise<string[]> {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
}

/** Waits for a notification whose text matches, and returns that text. */
export async function waitForNotification(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const handle = await page.waitForFunction(
    (source) =>
      [...document.querySelectorAll('.notifications-toasts .notification-list-item-message')]
        .map((n) => n.textContent ?? '')
        .find((t) => new RegExp(source).test(t)),
    pattern.source,
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as string;
}

/** Right-clicks a top-level folder in the Explorer and picks `label` from its context menu. */
export async function explorerContextCommand(page: Page, folder: string, label: string): Promise<void> {
  await page.keyboard.press('Control+Shift+E');
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${folder}"]`).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click({ button: 'right' });
  const item = page.locator('.context-view .monaco-menu .action-item', { hasText: label }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await item.click();
  // A click that lands while the menu is still settling is swallowed: the item stays
  // highlighted and the menu open. Then Enter runs the highlighted item.
  const menu = page.locator('.context-view .monaco-menu');
  if (
    !(await menu.waitFor({ state: 'hidden', timeout: 2000 }).then(
      () => true,
      () => false,
    ))
  ) {
    await item.hover();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 5000 });
  }
}

/** Opens the QLP container, expands capsule `name` in the Capsules view and returns its version row. */
export async function capsuleVersionRow(page: Page, name: string, version: number): Promise<Locator> {
  await page.locator('.activitybar .action-item a[aria-label^="QLP"]').first().click();
  const capsule = page.locator('.part.sidebar .monaco-list-row', { hasText: name }).first();
  await capsule.waitFor({ timeout: 20_000 });
  if ((await capsule.getAttribute('aria-expanded')) !== 'true') await capsule.click();
  const row = page.locator(`.part.sidebar .monaco-list-row[aria-label^="${name} v${version},"]`);
  await row.waitFor({ timeout: 20_000 });
  return row;
}
