// qlp/generate/start with `replay: 'sample'` over stdio: the editor's "Replay the sample" with no
// model configured. The recording's requirements and stack are used, no plan is sent for
// approval, the checks and tests run again in the sandbox, and nothing is spent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import type { GenerationEvent } from '../../protocol/generate';
import { onNotification, onRequest, request } from '../../extension/src/lspMessages';
import { clientNotifications, clientRequests, serverRequests } from '../../protocol/lsp';
import { initializeParams, spawnServer, type LspProcess } from '../support/lspProcess';
import { repoRoot } from '../support/paths';
import { sandboxEnv, scratchDir, testStorage } from '../support/sandboxes';

describe('qlp/generate/start replaying the sample', { timeout: 120_000 }, () => {
  let server: LspProcess | undefined;
  afterEach(() => server?.child.kill('SIGKILL'));

  it('replays the shipped recording with no model: verified, nothing spent, no approval asked', async (t) => {
    if (!(await sandboxEnv('bwrap', t))) return;
    const workspace = scratchDir('qlp-sample-lsp-');
    server = spawnServer({ PATH: process.env.PATH, QLP_HOME: testStorage() });
    const events: GenerationEvent[] = [];
    let approvals = 0;
    // No provider: the editor's settings name none.
    server.connection.onRequest('workspace/configuration', () => [{ sandbox: { mode: 'bwrap' } }]);
    onNotification(server.connection, clientNotifications.generateEvent, (e) => events.push(e.event));
    onRequest(server.connection, clientRequests.approvePlan, () => {
      approvals++;
      return { plan: null };
    });
    await server.connection.sendRequest('initialize', {
      ...initializeParams(),
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
      capabilities: { workspace: { configuration: true } },
    });
    await server.connection.sendNotification('initialized', {});

    const folder = join(workspace, 'qlp-sample');
    const result = await request(server.connection, serverRequests.generateStart, {
      runId: 'sample-1',
      requirements: '',
      folder,
      replay: 'sample',
      approvePlan: true,
    });
    assert.equal(result.status, 'verified', result.reasons.join('; '));
    assert.equal(approvals, 0, 'a replay asked for the plan to be approved');
    assert.equal(result.usage.calls, 0);
    assert.equal(result.usage.costUsd, 0);
    assert.equal(result.stack, 'node-cli');
    const recorded = JSON.parse(readFileSync(join(repoRoot, 'samples', 'adder', 'capsule.json'), 'utf8'));
    assert.deepEqual([...result.files].sort(), recorded.files.map((f: { path: string }) => f.path).sort());
    // The run is shown as it goes: the recorded answers stream, the tests run in the sandbox twice.
    assert.ok(
      events.some((e) => e.kind === 'text'),
      'no recorded answer was streamed',
    );
    assert.deepEqual(
      events.flatMap((e) => (e.kind === 'tests' ? [e.status] : [])),
      ['failed', 'passed'],
    );
    assert.match(readFileSync(join(folder, 'src', 'index.js'), 'utf8'), /return a \+ b/);
  });
});
