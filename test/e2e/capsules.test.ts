// Capsules in a real VS Code (code-server 4.100.3): export from the Explorer, the Capsules view.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { freshProfile, installVsix } from '../../scripts/codeServer';
import { repoRoot } from '../support/paths';
import { fakeOpenAiKey } from '../support/capsuleFixtures';
import { runCli } from '../support/runCli';
import { readZip } from '../support/zipEntries';
import { acceptFileDialog, capsuleVersionRow, openWorkbench, paletteRows, screenshot, type Workbench } from '../support/workbench';

const ready = '[aria-label="QLP language server: ready"]';

describe('Capsules in VS Code (installed from the .vsix)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let profile: ReturnType<typeof freshProfile>;
  let workspace: string;
  const envKey = fakeOpenAiKey();

  before(async () => {
    profile = freshProfile();
    installVsix(profile);
    workspace = join(mkdtempSync(join(tmpdir(), 'qlp-ws-')), 'hello');
    cpSync(join(repoRoot, 'examples', 'hello'), workspace, { recursive: true });
    // A folder to export: an executable, an ignored build folder and a .env holding a key.
    const app = join(workspace, 'app');
    mkdirSync(join(app, 'bin'), { recursive: true });
    mkdirSync(join(app, 'dist'));
    writeFileSync(join(app, 'index.js'), 'console.log("hello from app");\n');
    writeFileSync(join(app, 'bin', 'run.sh'), '#!/bin/sh\nnode index.js\n');
    chmodSync(join(app, 'bin', 'run.sh'), 0o755);
    writeFileSync(join(app, '.gitignore'), 'dist/\n');
    writeFileSync(join(app, 'dist', 'bundle.js'), 'built');
    writeFileSync(join(app, '.env'), `OPENAI_API_KEY=${envKey}\n`);
    workbench = await openWorkbench(profile, workspace);
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close('capsules-final');
  });

  it('starts with the server ready', { timeout: 60_000 }, async () => {
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 45_000 });
  });

  it('offers the capsule commands and keeps tree-only ones out of the palette', { timeout: 30_000 }, async () => {
    const rows = await paletteRows(page, 'QLP: ');
    await page.keyboard.press('Escape');
    for (const offered of [
      'QLP: Restart language server',
      'QLP: Show output',
      'QLP: Export capsule',
      'QLP: Snapshot folder as capsule',
      'QLP: Import capsule',
    ]) {
      assert.ok(
        rows.some((r) => r.startsWith(offered)),
        `${offered} is not offered: ${rows.join(' | ')}`,
      );
    }
    for (const treeOnly of ['QLP: Restore this version', 'QLP: Compare with previous version', 'QLP: Delete']) {
      assert.ok(!rows.some((r) => r.startsWith(treeOnly)), `${treeOnly} needs a Capsules item but is offered: ${rows.join(' | ')}`);
    }
  });

  it('exports a folder from the Explorer as a ZIP, without ignored files or the secret', { timeout: 120_000 }, async () => {
    const out = join(profile.root, 'exports', 'app.zip');
    mkdirSync(join(profile.root, 'exports'));
    await page.keyboard.press('Control+Shift+E');
    const row = page.locator('.explorer-folders-view .monaco-list-row[aria-label="app"]');
    await row.waitFor({ timeout: 20_000 });
    await row.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Export capsule' });
    await item.waitFor({ timeout: 10_000 });
    await screenshot(page, 'capsule-export-context-menu');
    await item.click();

    const zip = page.locator('.quick-input-widget .monaco-list-row[aria-label^="ZIP"]');
    // A click that lands while the menu is still opening leaves it open with the item highlighted:
    // Enter then runs the highlighted item.
    const shown = await zip.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (!shown && (await item.isVisible())) await page.keyboard.press('Enter');
    await zip.waitFor({ timeout: 20_000 });
    await screenshot(page, 'capsule-export-format');
    await zip.click();

    // The save dialog: in the browser VS Code it is the simple dialog, a quick input taking a path.
    await page.waitForFunction(
      () => /app-v1\.zip$/.test((document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    await screenshot(page, 'capsule-export-save-dialog');
    await acceptFileDialog(page, out);

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 20_000 });
    assert.match((await dialog.textContent()) ?? '', /1 file looks like it holds a secret\..*\.env \(env-file, hardcoded-secret, openai, line 1\)/s);
    await screenshot(page, 'capsule-export-secret-warning');
    await dialog.locator('.monaco-button', { hasText: 'Leave out .env' }).click();

    await page.locator('.notifications-toasts', { hasText: 'had no capsule yet: snapshotted it as version 1' }).waitFor({ timeout: 30_000 });
    await page
      .locator('.notifications-toasts .notification-toast', { hasText: 'Exporting app' })
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
    await screenshot(page, 'capsule-export-done');
    assert.ok(existsSync(out), `${out} was not written`);
    const entries = await readZip(out);
    assert.deepEqual(Object.keys(entries).sort(), ['capsule.json', 'files/.gitignore', 'files/bin/run.sh', 'files/index.js']);
    assert.equal(entries['files/index.js'].data.toString(), 'console.log("hello from app");\n');
    assert.equal(entries['files/bin/run.sh'].mode, 0o755);
    const manifest = JSON.parse(entries['capsule.json'].data.toString());
    assert.equal(manifest.version, 1);
    assert.equal(manifest.kind, 'snapshot');
    assert.deepEqual(
      manifest.files.map((f: { path: string }) => f.path),
      ['.gitignore', 'bin/run.sh', 'index.js'],
    );
    for (const entry of Object.values(entries)) assert.ok(!entry.data.includes(envKey), 'the key was exported');

    // The command line finds the same capsule from the workspace folder.
    const cli = await runCli(['capsule', 'list', '--json'], { HOME: profile.home, XDG_DATA_HOME: profile.env.XDG_DATA_HOME }, workspace);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(
      JSON.parse(cli.stdout).capsules.map((c: { name: string; version: number }) => [c.name, c.version]),
      [['app', 1]],
    );
  });

  it('shows the capsule and its version in the Capsules view', { timeout: 60_000 }, async () => {
    const version = await capsuleVersionRow(page, 'app', 1);
    assert.match((await version.getAttribute('aria-label')) ?? '', /^app v1, just now · 3 files · snapshot, not validated$/);
    assert.equal(await version.locator('.codicon-circle-large-outline').count(), 1, 'a snapshot shows the not-validated icon');
    await version.hover();
    await screenshot(page, 'capsules-view');

    // Clicking a version shows what it changed: for a first version, every file as added.
    await version.click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'app (empty) ↔ v1' });
    await tab.waitFor({ timeout: 20_000 });
    await page.locator('.part.editor', { hasText: 'hello from app' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'capsule-changes');
  });
});
