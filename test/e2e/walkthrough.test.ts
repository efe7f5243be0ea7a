// A new user's first hour, in a real VS Code (code-server 4.100.3) on a fresh profile with no model:
// the "Get started with QLP" walkthrough opens by itself; Generate without a model says what to do
// and offers it; the sample replays from the walkthrough with no model (checks and tests run in the
// sandbox); a local model server is set up from the walkthrough (a wrong URL is named, then the
// loopback model's URL is tested and saved); and the first project is generated to verified.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { freePort, freshProfile, installVsix, writeUserSettings, type Profile } from '../../scripts/codeServer';
import { FakeModelServer } from '../support/fakeModelServer';
import { fixedSource, projectFiles, scriptedProject } from '../support/scriptedProject';
import { helloWorkspace, openWorkbench, pickQuickItem, runCommand, screenshot, waitForNotification, webviewWith, type Workbench } from '../support/workbench';

const ready = '[aria-label="QLP language server: ready"]';
const walkthroughTitle = 'Get started with QLP';

describe('Getting started with QLP on a fresh profile (installed from the .vsix)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let profile: Profile;
  let workspace: string;
  let panel: Frame;
  const models = new FakeModelServer();

  /** The walkthrough's page: its tab when open, else opened again from the command palette. */
  async function walkthroughStep(title: string) {
    const container = page.locator('.gettingStartedContainer');
    const tab = page.locator('.tabs-container .tab', { hasText: /Welcome|Walkthrough/ }).first();
    if (await tab.count()) await tab.click();
    if (
      !(await container
        .getByText(walkthroughTitle)
        .first()
        .isVisible()
        .catch(() => false))
    ) {
      await runCommand(page, 'Welcome: Open Walkthrough...');
      await pickQuickItem(page, walkthroughTitle);
    }
    const step = container.locator('.getting-started-step', { hasText: title }).first();
    await step.waitFor({ timeout: 20_000 });
    if ((await step.getAttribute('aria-expanded')) !== 'true') await step.locator('.step-title').first().click();
    return step;
  }

  before(async () => {
    await models.start();
    models.respondWith(scriptedProject()).listModels('scripted-coder');
    // No model settings at all: the profile is what a new user has, walkthroughs opening by themselves.
    profile = freshProfile();
    writeUserSettings(profile, { 'workbench.welcomePage.walkthroughs.openOnInstall': true });
    installVsix(profile);
    workspace = helloWorkspace();
    workbench = await openWorkbench(profile, workspace);
    page = workbench.page;
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 45_000 });
  });

  after(async () => {
    await workbench?.close('walkthrough-final');
    await models.close();
  });

  it('opens the walkthrough on the first start, because no model is set up', { timeout: 60_000 }, async () => {
    const container = page.locator('.gettingStartedContainer');
    await container.getByText(walkthroughTitle).first().waitFor({ timeout: 30_000 });
    for (const title of [
      'Choose a model',
      'Replay the sample (no model needed)',
      'Generate your first project',
      'See validation',
      'Search by meaning',
      'Export a capsule',
    ]) {
      await container.locator('.getting-started-step', { hasText: title }).first().waitFor({ timeout: 10_000 });
    }
    await screenshot(page, 'walkthrough-first-start');
  });

  it('says what to do when Generate runs with no model, with buttons for it', { timeout: 60_000 }, async () => {
    await runCommand(page, 'QLP: Generate project');
    panel = await webviewWith(page, 'Describe the project and press Generate');
    await panel.locator('vscode-textarea#requirements textarea').fill('A command-line tool that adds two numbers.');
    await panel.locator('vscode-textarea#requirements textarea').press('Control+Enter');
    await panel.getByText('No model is set up yet.').waitFor({ timeout: 30_000 });
    for (const name of ['Set up a model', 'Replay the sample', 'Open settings'])
      await panel.getByRole('button', { name, exact: true }).waitFor({ timeout: 5000 });
    await screenshot(page, 'walkthrough-no-model');
    // The way forward leads to the walkthrough's first step.
    await panel.getByRole('button', { name: 'Set up a model', exact: true }).click();
    await page.locator('.gettingStartedContainer .getting-started-step[aria-expanded="true"]', { hasText: 'Choose a model' }).waitFor({ timeout: 20_000 });
  });

  it('replays the sample from the walkthrough with no model: checks and tests run in the sandbox', { timeout: 120_000 }, async () => {
    const step = await walkthroughStep('Replay the sample');
    await step.getByRole('button', { name: 'Replay the sample' }).click();
    panel = await webviewWith(page, 'Replaying the sample');
    await panel.getByText('Verified: every test ran and passed in the sandbox').waitFor({ timeout: 90_000 });
    const checks = (await panel.locator('.checks').textContent()) ?? '';
    assert.match(checks, /Tests, round 0: failed \(0 passed, 1 failed, 0 skipped\) in the (docker|bwrap) sandbox/);
    assert.match(checks, /Tests, round 1: passed \(1 passed, 0 failed, 0 skipped\)/);
    assert.match((await panel.locator('.cost').textContent()) ?? '', /no model calls · .* · replayed: the recording cost \$0\.00/);
    assert.match((await panel.locator('.outcome').textContent()) ?? '', /A replay of a recorded generation: no model was called/);
    assert.equal(models.requests.length, 0, 'the replay called the model server');
    assert.match(readFileSync(join(workspace, 'qlp-sample', 'src', 'index.js'), 'utf8'), /return a \+ b/);
    await screenshot(page, 'walkthrough-sample-replayed');
  });

  it('sets up a local model server from the walkthrough: a wrong URL is named, the right one tested and saved', { timeout: 90_000 }, async () => {
    const step = await walkthroughStep('Choose a model');
    await step.getByRole('button', { name: 'Use a local model server' }).click();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    const dead = `http://127.0.0.1:${await freePort()}/v1`;
    await input.fill(dead);
    await input.press('Enter');
    const failed = await waitForNotification(page, /the connection test failed/, 20_000);
    assert.match(failed, new RegExp(`could not connect to ${dead.replace(/[.:/]/g, '\\$&')}/models \\(ECONNREFUSED\\)`));
    await screenshot(page, 'walkthrough-model-unreachable');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'the connection test failed' }).first();
    await toast.hover();
    await toast.getByRole('button', { name: 'Change URL' }).click();

    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(models.openaiBaseUrl);
    await input.press('Enter');
    await pickQuickItem(page, 'scripted-coder');
    const connected = await waitForNotification(page, /connected to the local model server/, 20_000);
    assert.equal(connected, `QLP: connected to the local model server at ${models.openaiBaseUrl}; it serves scripted-coder.`);
    assert.ok(models.modelListRequests >= 1, 'the connection test never reached the model server');
    await screenshot(page, 'walkthrough-model-connected');
  });

  it('generates the first project from the walkthrough and shows the result', { timeout: 180_000 }, async () => {
    const step = await walkthroughStep('Generate your first project');
    await step.getByRole('button', { name: 'Generate project' }).click();
    panel = await webviewWith(page, 'Generate project');
    const requirements = panel.locator('vscode-textarea#requirements textarea');
    await requirements.fill('A command-line tool that adds two numbers.');
    await panel.getByText('Node.js command-line tool').click();
    await requirements.press('Control+Enter');
    await panel.getByText('Review the plan').waitFor({ timeout: 60_000 });
    await panel.getByRole('button', { name: 'Approve', exact: true }).click();
    await panel.getByText('Verified: every test ran and passed in the sandbox').waitFor({ timeout: 150_000 });
    const folder = join(workspace, 'new-project');
    for (const [path, content] of Object.entries(projectFiles))
      assert.equal(readFileSync(join(folder, path), 'utf8'), path === 'src/index.js' ? fixedSource : content);
    assert.ok(models.requests.length >= 7, `${models.requests.length} model calls`);
    await screenshot(page, 'walkthrough-first-project');

    // The walkthrough ticks what was done.
    await walkthroughStep('Generate your first project');
    for (const title of ['Replay the sample', 'Generate your first project']) {
      await page
        .locator('.gettingStartedContainer .getting-started-step', { hasText: title })
        .first()
        .locator('.codicon.complete')
        .waitFor({ timeout: 10_000 });
    }
    await screenshot(page, 'walkthrough-steps-done');
    assert.ok(existsSync(join(workspace, 'qlp-sample')));
  });
});
