// Runs the mocha suite (test/e2e/suite) inside the real VS Code extension host, offline:
// VS Code's server with the smoke-test driver, opened in Chromium; the workbench reports the
// suite's exit code through codeAutomationExit.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { freshProfile, startTestHost, type RunningServer } from '../../scripts/codeServer';
import { repoRoot } from '../support/paths';

describe('in-host suite (real extension host)', () => {
  let host: RunningServer | undefined;
  let browser: BrowserContext | undefined;
  const profile = freshProfile();
  const reportPath = join(profile.root, 'report.json');

  before(async () => {
    profile.env.QLP_TEST_REPORT = reportPath;
    host = await startTestHost(profile, {
      workspace: join(repoRoot, 'examples', 'hello'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out', 'test', 'suite', 'index.js'),
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(profile.root, { recursive: true, force: true });
  });

  it('passes every in-host test', { timeout: 180_000 }, async () => {
    const page = await browser!.newPage();
    const exitCode = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    await page.goto(host!.url);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exitCode,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the suite did not finish:\n${host!.log().slice(-4000)}`)), 150_000);
      }),
    ]).finally(() => clearTimeout(timer));
    assert.ok(existsSync(reportPath), `no report was written (exit ${code}):\n${host!.log().slice(-4000)}`);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { passed: string[]; failed: Array<{ title: string; error: string }> };
    for (const title of report.passed) console.log(`  in host ✔ ${title}`);
    assert.deepEqual(report.failed, [], report.failed.map((f) => `${f.title}\n${f.error}`).join('\n\n'));
    assert.ok(report.passed.length >= 6, `only ${report.passed.length} in-host tests ran`);
    assert.equal(code, 0);
  });
});
