// The team backend from a real VS Code (code-server 4.100.3, the packaged .vsix): the backend
// runs on loopback, its key goes in through QLP: Set API key → QLP backend, QLP: Push capsule
// sends a capsule, and the Capsules view's Team section lists it.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { freshProfile, installVsix, writeUserSettings } from '../../scripts/codeServer';
import { adminKey, api, startBackendProcess, type BackendProcess } from '../support/backendProcess';
import { repoRoot } from '../support/paths';
import { runCli } from '../support/runCli';
import { openWorkbench, pickQuickItem, runCommand, screenshot, waitForNotification } from '../support/workbench';

const ready = '[aria-label="QLP language server: ready"]';

describe('Team backend in VS Code (installed from the .vsix)', () => {
  let backend: BackendProcess;
  let workbench: Awaited<ReturnType<typeof openWorkbench>> | undefined;
  let page: Page;
  let profile: ReturnType<typeof freshProfile>;
  let workspace: string;
  let writerKey = '';

  before(async () => {
    backend = await startBackendProcess({});
    writerKey = (await api(backend.url, adminKey)('/v1/keys', { method: 'POST', json: { name: 'e2e writer', role: 'writer' } })).json.key;
    profile = freshProfile();
    installVsix(profile);
    writeUserSettings(profile, { 'qlp.backend.url': backend.url });
    workspace = join(mkdtempSync(join(tmpdir(), 'qlp-ws-')), 'hello');
    cpSync(join(repoRoot, 'examples', 'hello'), workspace, { recursive: true });
    const app = join(workspace, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'index.js'), 'console.log("shared with the team");\n');
    writeFileSync(join(app, 'README.md'), '# app\n');
    // The capsule exists before VS Code starts: the command line and the editor share the store.
    const created = await runCli(['capsule', 'create', app, '--json'], { HOME: profile.home, XDG_DATA_HOME: profile.env.XDG_DATA_HOME }, workspace);
    assert.equal(created.code, 0, created.stderr);
    workbench = await openWorkbench(profile, workspace);
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close('team-final');
    await backend?.stop();
    rmSync(profile.root, { recursive: true, force: true });
  });

  it('starts with the server ready', { timeout: 60_000 }, async () => {
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 45_000 });
  });

  it('stores the backend key in secret storage', { timeout: 60_000 }, async () => {
    await runCommand(page, 'QLP: Set API key');
    await pickQuickItem(page, 'QLP backend');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    assert.equal(await input.getAttribute('type'), 'password');
    await input.fill(writerKey);
    await input.press('Enter');
    await waitForNotification(page, /QLP backend key is saved/);
  });

  it('pushes a capsule and sees it in the team list', { timeout: 120_000 }, async () => {
    await runCommand(page, 'QLP: Push capsule');
    await pickQuickItem(page, 'app v1');
    await waitForNotification(page, /Pushed app v1 to the team backend \(2 new files sent\)/, 60_000);
    await screenshot(page, 'team-pushed');

    // The backend has it, pushed with the key from secret storage.
    const listed = (await api(backend.url, adminKey)('/v1/capsules')).json.capsules;
    assert.deepEqual(
      listed.map((c: { name: string; version: number; files: number; pushedBy: string }) => [c.name, c.version, c.files, c.pushedBy]),
      [['app', 1, 2, 'e2e writer']],
    );

    await page.locator('.activitybar .action-item a[aria-label^="QLP"]').first().click();
    const team = page.locator('.part.sidebar .monaco-list-row', { hasText: 'Team' }).first();
    await team.waitFor({ timeout: 20_000 });
    const row = page.locator('.part.sidebar .monaco-list-row', { hasText: 'v1 · 2 files · e2e writer' });
    await row.waitFor({ timeout: 20_000 });
    await screenshot(page, 'team-list');
  });
});
