// The model layer end to end through the real SDKs and the loopback server: tier targets,
// fallback between providers, retries, budgets, the ledger.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BudgetExceededError } from '../../../language-server/src/llm/budget';
import { Ledger } from '../../../language-server/src/llm/ledger';
import { ModelCallError } from '../../../language-server/src/llm/modelService';
import { modelSettingsFromEditor, modelSettingsFromEnvironment } from '../../../language-server/src/llm/modelSettings';
import { setUpModels } from '../../../language-server/src/llm/modelSetup';
import { configuredProviders, defaultProviderSettings, providerProbes } from '../../../language-server/src/llm/providerConfig';
import { availableTiers, parseTierMapping, tierTargets } from '../../../language-server/src/llm/tierModels';
import { FakeModelServer, type Reply } from '../../support/fakeModelServer';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.respondWith(() => ({ text: ['ready'] }));
});

const ledger = () => new Ledger(join(mkdtempSync(join(tmpdir(), 'qlp-models-')), 'ledger.jsonl'));

/** Anthropic first, OpenAI as fallback, both on the loopback server. */
async function twoProviders(overrides: { budget?: number; perDay?: number; maxAttempts?: number } = {}) {
  const env = {
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: server.origin,
    OPENAI_API_KEY: 'sk-openai-test',
    OPENAI_BASE_URL: server.openaiBaseUrl,
  };
  const { settings, keyOf } = modelSettingsFromEnvironment(env);
  settings.budgets = { perGenerationUsd: overrides.budget ?? 0, perDayUsd: overrides.perDay ?? 0 };
  settings.retry = { ...settings.retry, baseDelayMs: 10, maxDelayMs: 20, maxAttempts: overrides.maxAttempts ?? 2 };
  const book = ledger();
  return { ...(await setUpModels(settings, keyOf, book)), ledger: book };
}

const call = (over: Partial<Parameters<Awaited<ReturnType<typeof twoProviders>>['service']['complete']>[0]> = {}) => ({
  task: 'file' as const,
  tier: 'T1' as const,
  signal: new AbortController().signal,
  request: { system: 'Write code.', messages: [{ role: 'user' as const, content: 'Write add(a, b).' }], maxTokens: 200 },
  ...over,
});

const byProtocol = (replies: Partial<Record<'anthropic' | 'openai', Reply[]>>) => (req: { protocol: string }) =>
  replies[req.protocol as 'anthropic' | 'openai']?.shift() ?? { text: ['fallback text'] };

describe('configuration', () => {
  it('configures providers from the environment and reports where from, never the key', async () => {
    const { settings, keyOf } = modelSettingsFromEnvironment({ GROQ_API_KEY: 'gsk-secret', QLP_LOCAL_MODEL: 'qwen2.5-coder:7b' });
    const configured = await configuredProviders(settings.providers, keyOf);
    assert.deepEqual(
      configured.map((p) => p.id),
      ['groq', 'local'],
    );
    const probes = providerProbes(settings.providers, configured);
    assert.deepEqual(
      probes.find((p) => p.id === 'groq'),
      { id: 'groq', configured: true, source: 'GROQ_API_KEY', baseUrl: 'https://api.groq.com/openai/v1' },
    );
    assert.ok(!JSON.stringify(probes).includes('gsk-secret'));
  });

  it('needs an endpoint for Azure and a model for a local server', async () => {
    const { settings, keyOf } = modelSettingsFromEnvironment({ AZURE_OPENAI_API_KEY: 'k', QLP_LOCAL_BASE_URL: 'http://127.0.0.1:1234/v1' });
    assert.deepEqual(await configuredProviders(settings.providers, keyOf), []);
  });

  it('reads the editor settings section, with defaults for what is missing', () => {
    const s = modelSettingsFromEditor({
      providers: { local: { model: 'llama3' } },
      tiers: { T2: 'openai:gpt-4.1' },
      budget: { perDayUsd: 3 },
      models: { idleTimeoutSeconds: 12 },
    });
    assert.equal(s.providers.local.model, 'llama3');
    assert.equal(s.providers.local.baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(s.providers.tiers.T2, 'openai:gpt-4.1');
    assert.deepEqual(s.budgets, { perGenerationUsd: 2, perDayUsd: 3 });
    assert.equal(s.timeouts.idleMs, 12_000);
  });

  it('maps tiers to provider defaults in preferred order, or to explicit mappings', () => {
    const settings = defaultProviderSettings();
    const configured = [
      { id: 'openai' as const, source: 'x' },
      { id: 'anthropic' as const, source: 'y' },
    ];
    assert.deepEqual(
      tierTargets('T0', settings, configured).map((t) => `${t.provider}:${t.model}`),
      ['openai:gpt-4.1-nano', 'anthropic:claude-3-5-haiku-latest'],
    );
    settings.tiers.T3 = 'anthropic:claude-opus-4-1, groq:llama-3.3-70b-versatile';
    assert.deepEqual(tierTargets('T3', settings, configured), [{ provider: 'anthropic', model: 'claude-opus-4-1' }], 'groq is not configured');
    assert.deepEqual(availableTiers(settings, []), []);
    assert.deepEqual(parseTierMapping('openai, nope:x').problems.length, 2);
  });
});

describe('model service', () => {
  it('streams text and records the call with provider-reported usage and cost', async () => {
    server.respondWith(() => ({ text: ['export const ', 'add = (a, b) => a + b;'], usage: { input: 1000, output: 100 } }));
    const { service, ledger: book } = await twoProviders();
    const deltas: string[] = [];
    const done = await service.complete(call({ onText: (d) => deltas.push(d), generationId: 'g1' }));
    assert.equal(done.text, 'export const add = (a, b) => a + b;');
    assert.equal(deltas.join(''), done.text);
    assert.equal(done.provider, 'anthropic');
    assert.equal(done.model, 'claude-haiku-4-5');
    const [entry] = await book.entries();
    assert.equal(entry.inputTokens, 1000);
    assert.equal(entry.usageSource, 'provider');
    assert.ok(Math.abs(entry.costUsd - (1000 * 1 + 100 * 5) / 1e6) < 1e-12);
    assert.equal(entry.generationId, 'g1');
  });

  it('falls back to the next provider of the tier when one keeps failing with 500', async () => {
    server.respondWith(byProtocol({ anthropic: [{ status: 500 }, { status: 500 }], openai: [{ text: ['from openai'] }] }));
    const { service, ledger: book } = await twoProviders();
    const attempts: string[] = [];
    const done = await service.complete(call({ onAttempt: (a) => attempts.push(`${a.provider}#${a.number}`) }));
    assert.equal(done.text, 'from openai');
    assert.deepEqual(attempts, ['anthropic#1', 'anthropic#2', 'openai#3']);
    assert.deepEqual(
      (await book.entries()).map((e) => e.outcome),
      ['failed', 'failed', 'ok'],
    );
  });

  it('does not retry a refused key, falls back at once, and says how to fix it when all fail', async () => {
    server.respondWith(byProtocol({ anthropic: [{ status: 401 }], openai: [{ status: 401 }] }));
    const { service } = await twoProviders({ maxAttempts: 3 });
    await assert.rejects(service.complete(call()), (err: unknown) => {
      assert.ok(err instanceof ModelCallError);
      assert.deepEqual(
        err.errors.map((e) => `${e.provider}:${e.kind}`),
        ['anthropic:auth', 'openai:auth'],
      );
      assert.match(err.message, /^Every T1 provider failed: Anthropic refused the API key .*; OpenAI refused the API key/);
      return true;
    });
    assert.equal(server.requests.length, 2);
  });

  it('waits for Retry-After before trying the same provider again', async () => {
    server.respondWith(byProtocol({ anthropic: [{ status: 429, headers: { 'retry-after': '1' } }, { text: ['after the wait'] }] }));
    const { service } = await twoProviders();
    const started = Date.now();
    const done = await service.complete(call());
    assert.equal(done.text, 'after the wait');
    assert.ok(Date.now() - started >= 1000, `retried after ${Date.now() - started} ms`);
  });

  it('counts tokens itself when a provider reports no usage (some local servers)', async () => {
    server.respondWith(() => ({ text: ['some generated words here'], usage: false }));
    const { settings, keyOf } = modelSettingsFromEnvironment({ QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'qwen2.5-coder:7b' });
    const book = ledger();
    const { service } = await setUpModels(settings, keyOf, book);
    await service.complete(call({ tier: 'T0' }));
    const [entry] = await book.entries();
    assert.equal(entry.usageSource, 'estimated');
    assert.ok(entry.inputTokens > 0 && entry.outputTokens > 0);
  });

  it('stops before a call that could exceed the generation budget, and makes no request', async () => {
    const { service } = await twoProviders({ budget: 0.0001 });
    await assert.rejects(
      service.complete(call({ generationId: 'g2', request: { messages: [{ role: 'user', content: 'hi' }], maxTokens: 4000 } })),
      (err: unknown) => {
        assert.ok(err instanceof BudgetExceededError);
        assert.match(err.message, /budget/);
        return true;
      },
    );
    assert.equal(server.requests.length, 0);
  });

  it("stops when the day's spend is used up, across calls", async () => {
    server.respondWith(() => ({ text: ['x'], usage: { input: 100_000, output: 10_000 } }));
    // The first call costs $0.15 (100k in, 10k out at $1/$5 per million); the day allows $0.15.
    const { service } = await twoProviders({ perDay: 0.15 });
    await service.complete(call({ request: { messages: [{ role: 'user', content: 'hi' }], maxTokens: 100 } }));
    await assert.rejects(service.complete(call({ request: { messages: [{ role: 'user', content: 'hi' }], maxTokens: 100 } })), /daily budget/);
  });

  it('cancels while waiting to retry, promptly', async () => {
    server.respondWith(() => ({ status: 429, headers: { 'retry-after': '20' } }));
    const { service } = await twoProviders();
    const controller = new AbortController();
    const pending = service.complete(call({ signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 200));
    const at = Date.now();
    controller.abort();
    await assert.rejects(pending, (err: { kind?: string }) => err.kind === 'cancelled');
    assert.ok(Date.now() - at < 200);
  });

  it('explains an unconfigured tier', async () => {
    const { settings, keyOf } = modelSettingsFromEnvironment({});
    const { service } = await setUpModels(settings, keyOf, ledger());
    await assert.rejects(service.complete(call()), /No provider serves tier T1; configure one with "QLP: Set API key"/);
  });
});
