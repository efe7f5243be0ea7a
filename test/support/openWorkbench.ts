// Installs the packaged .vsix into a fresh profile, starts code-server on a workspace and opens
// it in Chromium; `close()` takes a last screenshot and removes everything.
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { freshProfile, installVsix, startCodeServer } from '../../scripts/codeServer';
import { launchBrowser } from './browser';
import { screenshot } from './workbench';

export interface OpenWorkbench {
  page: Page;
  close(): Promise<void>;
}

export async function openWorkbench(workspace: string, name: string): Promise<OpenWorkbench> {
  const profile = freshProfile();
  installVsix(profile);
  const server = await startCodeServer(profile, workspace);
  const browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return {
    page,
    async close() {
      await screenshot(page, `${name}-final`).catch(() => undefined);
      await browser.close();
      await server.stop();
      rmSync(profile.root, { recursive: true, force: true });
    },
  };
}
