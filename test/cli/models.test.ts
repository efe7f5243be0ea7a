// `qlp models test` and `qlp usage` as processes, against the loopback model server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeModelServer } from '../support/fakeModelServer';
import { interrupt, runCli, startCli } from '../support/runCli';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.respondWith(() => ({ text: ['ready'], usage: { input: 20, output: 1 } }));
});

const home = () => mkdtempSync(join(tmpdir(), 'qlp-cli-models-'));
const local = (qlpHome: string, extra: NodeJS.ProcessEnv = {}) => ({
  QLP_HOME: qlpHome,
  QLP_LOCAL_BASE_URL: server.openaiBaseUrl,
  QLP_LOCAL_MODEL: 'fake-coder',
  ...extra,
});
const oneLine = (stderr: string) => {
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
  return stderr.trim();
};

describe('qlp models test', () => {
  it('routes a probe to the cheapest tier and records it in the ledger', async () => {
    const qlpHome = home();
    const run = await runCli(['models', 'test', '--json'], local(qlpHome));
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.deepEqual(
      { tier: result.tier, provider: result.provider, model: result.model, answer: result.answer },
      { tier: 'T0', provider: 'local', model: 'fake-coder', answer: 'ready' },
    );
    assert.match(result.reason, /^T0: a connection probe$/);
    const lines = readFileSync(join(qlpHome, 'ledger.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal(JSON.parse(lines[0]).inputTokens, 20);
  });

  it('says which provider refused the key and how to set it (exit 3)', async () => {
    server.respondWith(() => ({ status: 401, message: 'bad key' }));
    const run = await runCli(['models', 'test'], { QLP_HOME: home(), OPENAI_API_KEY: 'sk-wrong', OPENAI_BASE_URL: server.openaiBaseUrl });
    assert.equal(run.code, 3);
    assert.match(oneLine(run.stderr), /^qlp: Every T0 provider failed: OpenAI refused the API key \(401\); set a valid key with/);
    assert.equal(server.requests.length, 1, 'a refused key is not retried');
    assert.ok(!run.stderr.includes('sk-wrong'));
  });

  it('explains an unknown model and an unreachable endpoint (exit 3)', async () => {
    server.respondWith(() => ({ status: 404, message: 'model fake-coder not found' }));
    const unknown = await runCli(['models', 'test'], local(home()));
    assert.equal(unknown.code, 3);
    assert.match(oneLine(unknown.stderr), /does not know that model/);
    const unreachable = await runCli(['models', 'test'], local(home(), { QLP_LOCAL_BASE_URL: 'http://127.0.0.1:9/v1', QLP_LOCAL_MODEL: 'x' }));
    assert.equal(unreachable.code, 3);
    assert.match(oneLine(unreachable.stderr), /unreachable/);
  });

  it('stops at the budget and says so (exit 1), without calling the model', async () => {
    const run = await runCli(
      ['models', 'test'],
      local(home(), { QLP_BUDGET_PER_DAY_USD: '0.0001', QLP_PRICING: JSON.stringify({ 'local:fake-coder': { inputPerMTok: 1000, outputPerMTok: 1000 } }) }),
    );
    assert.equal(run.code, 1);
    assert.match(oneLine(run.stderr), /daily budget of \$0\.0001/);
    assert.equal(server.requests.length, 0);
  });

  it('says when no provider is configured (exit 3), and refuses a bad tier or bad JSON (exit 2)', async () => {
    const none = await runCli(['models', 'test'], { QLP_HOME: home() });
    assert.equal(none.code, 3);
    assert.match(oneLine(none.stderr), /No model provider is configured/);
    const tier = await runCli(['models', 'test', '--tier', 'T9'], local(home()));
    assert.equal(tier.code, 2);
    assert.match(oneLine(tier.stderr), /--tier must be one of T0, T1, T2, T3/);
    const pricing = await runCli(['models', 'test'], local(home(), { QLP_PRICING: '{oops' }));
    assert.equal(pricing.code, 2);
    assert.match(oneLine(pricing.stderr), /QLP_PRICING is not valid JSON/);
  });

  it('cancels the request on Ctrl+C', async () => {
    server.respondWith(() => ({ text: ['a', 'b', 'c'], delayMs: 3000 }));
    const { child, stderr } = startCli(['models', 'test'], local(home()));
    // Interrupt once the request is in flight (the process has set up its Ctrl+C handling).
    for (let waited = 0; server.requests.length === 0 && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 100));
    const { code, afterMs } = await interrupt(child);
    assert.ok(afterMs < 1000, `exited ${afterMs} ms after Ctrl+C`);
    assert.equal(code, 130);
    assert.match(stderr(), /cancelled/);
  });
});

describe('qlp usage', () => {
  it('reports the ledger: today, per tier and provider', async () => {
    const qlpHome = home();
    await runCli(['models', 'test'], local(qlpHome, { QLP_PRICING: JSON.stringify({ 'local:fake-coder': { inputPerMTok: 1000, outputPerMTok: 1000 } }) }));
    const json = await runCli(['usage', '--json'], { QLP_HOME: qlpHome });
    assert.equal(json.code, 0, json.stderr);
    const summary = JSON.parse(json.stdout);
    assert.equal(summary.todayTotals.calls, 1);
    assert.ok(Math.abs(summary.todayTotals.costUsd - 0.021) < 1e-9);
    assert.equal(summary.byProvider.local.calls, 1);
    const text = await runCli(['usage'], { QLP_HOME: qlpHome });
    assert.match(text.stdout, /Today \(\d{4}-\d\d-\d\d\): \$0\.0210 in 1 call, 21 tokens/);
    assert.match(text.stdout, /Last model: T0 local:fake-coder/);
  });
});
