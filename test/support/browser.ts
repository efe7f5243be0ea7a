// Debian's Chromium driven by playwright-core, started the way this closed network needs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = process.env.QLP_CHROMIUM || '/usr/bin/chromium';

export async function launchBrowser(): Promise<BrowserContext> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'qlp-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Chromium may still be writing its profile as the context closes: retry, and never throw from here.
  context.on('close', () => {
    try {
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // a leftover temporary profile is harmless
    }
  });
  return context;
}
