// The server's model host with plain stand-ins for the editor: settings, SecretStorage keys,
// usage notifications and the daily budget warning.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ModelHost } from '../../../language-server/src/llm/modelHost';
import type { UsageSummary } from '../../../protocol/llm';
import { FakeModelServer } from '../../support/fakeModelServer';

const server = new FakeModelServer();
before(async () => {
  await server.start();
  server.respondWith(() => ({ text: ['ready'], usage: { input: 10, output: 0 } }));
});
after(() => server.close());

function host(settings: Record<string, unknown>, keys: Record<string, string> = {}) {
  const usage: UsageSummary[] = [];
  const warnings: string[] = [];
  const models = new ModelHost({
    dataDir: mkdtempSync(join(tmpdir(), 'qlp-host-')),
    env: {},
    editorSettings: async () => settings,
    editorKey: async (provider) => keys[provider],
    onUsageChanged: (summary) => usage.push(summary),
    onBudgetWarning: (message) => warnings.push(message),
  });
  return { models, usage, warnings };
}

/** Waits up to a second for a condition the host reaches on its own. */
async function until(condition: () => boolean, ms = 1000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('model host', () => {
  it("reads keys from the editor's secret storage and reports them as such", async () => {
    const { models } = host({ providers: { groq: { baseUrl: server.openaiBaseUrl } } }, { groq: 'gsk-from-secret-storage' });
    const probes = await models.providerProbes();
    assert.deepEqual(
      probes.find((p) => p.id === 'groq'),
      { id: 'groq', configured: true, source: 'SecretStorage', baseUrl: server.openaiBaseUrl },
    );
    assert.ok(!JSON.stringify(probes).includes('gsk-from-secret-storage'));
  });

  it('pushes the usage summary after each call, and warns once a day at 80% of the daily budget', async () => {
    // 30 input tokens at $1000 per million: $0.03 a call (the check's estimate is $0.021). The day
    // allows $0.07: two calls pass, the second crosses 80%, the third would exceed it.
    server.respondWith(() => ({ text: ['ready'], usage: { input: 30, output: 0 } }));
    const { models, usage, warnings } = host({
      providers: { local: { baseUrl: server.openaiBaseUrl, model: 'fake' } },
      budget: { perDayUsd: 0.07, perGenerationUsd: 0 },
      pricing: { 'local:fake': { inputPerMTok: 1000, outputPerMTok: 0 } },
    });
    const signal = new AbortController().signal;
    await models.probe({}, signal);
    await until(() => usage.at(-1)?.todayTotals.calls === 1);
    assert.deepEqual(warnings, []);
    await models.probe({}, signal);
    await until(() => warnings.length === 1);
    assert.match(warnings[0], /\$0\.06 of today's \$0\.07 model budget/);
    await assert.rejects(models.probe({}, signal), /daily budget/);
    assert.equal(warnings.length, 1, 'warned once');
  });
});
