// What cancelled and failed calls cost, through the real SDKs and the loopback model server: a
// call the provider answered costs what it sent and received, even without usage figures; an
// attempt refused before any answer is a failure at no cost, not a call.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { localDay } from '../../../language-server/src/llm/ledger';
import { ModelCallError } from '../../../language-server/src/llm/modelService';
import { modelSettingsFromEnvironment } from '../../../language-server/src/llm/modelSettings';
import { setUpModels } from '../../../language-server/src/llm/modelSetup';
import { FakeModelServer, type Reply } from '../../support/fakeModelServer';
import { fileCall, pricedModel, tempLedger } from './spendFixtures';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

/** About 20,000 characters of prompt. */
const longPrompt = 'Write a function that parses a CSV line, honouring quotes and escaped quotes. '.repeat(260);
const longCall = (signal = new AbortController().signal) =>
  fileCall({ signal, generationId: 'g-failed', request: { messages: [{ role: 'user', content: longPrompt }], maxTokens: 400 } });
const slowAnswer: Reply = { text: Array.from({ length: 40 }, (_, i) => `line ${i} of the answer\n`), delayMs: 25 };

/** Anthropic (its own SDK and wire format) at its list price. */
async function anthropicModel() {
  const { settings, keyOf } = modelSettingsFromEnvironment({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server.origin });
  settings.retry = { ...settings.retry, maxAttempts: 1 };
  const ledger = tempLedger();
  return { ...(await setUpModels(settings, keyOf, ledger)), ledger };
}

async function onlyEntry(ledger: Awaited<ReturnType<typeof pricedModel>>['ledger']) {
  const entries = await ledger.entries();
  assert.equal(entries.length, 1, JSON.stringify(entries));
  return entries[0]!;
}

describe('cancelled and cut calls cost what they sent and received', () => {
  assert.ok(longPrompt.length >= 20_000);

  for (const provider of ['openai-compatible', 'anthropic'] as const) {
    it(`a 20,000-character prompt cancelled mid-stream is recorded as cancelled, with its tokens and cost (${provider})`, async () => {
      server.respondWith(() => slowAnswer);
      const models = provider === 'anthropic' ? await anthropicModel() : await pricedModel({ baseUrl: server.openaiBaseUrl });
      const controller = new AbortController();
      let received = 0;
      const pending = models.service.complete({ ...longCall(controller.signal), onText: () => ++received === 3 && controller.abort() });
      await assert.rejects(pending, (err: { kind?: string }) => err.kind === 'cancelled');
      const entry = await onlyEntry(models.ledger);
      assert.equal(entry.outcome, 'cancelled');
      assert.equal(entry.billable, true);
      assert.equal(entry.usageSource, 'estimated', 'the provider reported no usage before the cancel');
      assert.ok(entry.inputTokens > 3000, `input ${entry.inputTokens}`);
      assert.ok(entry.outputTokens > 0 && entry.outputTokens < 100, `output ${entry.outputTokens}`);
      assert.ok(entry.costUsd > 0);
    });
  }

  it('a stream cut by the server is recorded as failed, with its tokens and cost', async () => {
    server.respondWith(() => ({ ...slowAnswer, fault: { after: 3, kind: 'cut' } }));
    const models = await pricedModel({ baseUrl: server.openaiBaseUrl });
    await assert.rejects(models.service.complete(longCall()), ModelCallError);
    const entry = await onlyEntry(models.ledger);
    assert.equal(entry.outcome, 'failed');
    assert.equal(entry.billable, true);
    assert.match(entry.error ?? '', /^stream: /);
    assert.ok(entry.inputTokens > 3000 && entry.outputTokens > 0 && entry.costUsd > 0);
  });

  it('a stream that stalls past the idle timeout is recorded as failed, with its tokens and cost', async () => {
    server.respondWith(() => ({ ...slowAnswer, fault: { after: 2, kind: 'stall' } }));
    const models = await pricedModel({ baseUrl: server.openaiBaseUrl, idleMs: 300 });
    await assert.rejects(models.service.complete(longCall()), ModelCallError);
    const entry = await onlyEntry(models.ledger);
    assert.match(entry.error ?? '', /^timeout: /);
    assert.equal(entry.billable, true);
    assert.ok(entry.inputTokens > 3000 && entry.costUsd > 0);
  });

  it('each retry is accounted: two cut streams and a success are three paid calls of the generation', async () => {
    const replies: Reply[] = [
      { ...slowAnswer, fault: { after: 2, kind: 'cut' } },
      { ...slowAnswer, fault: { after: 2, kind: 'cut' } },
      { text: ['done'], usage: { input: 5000, output: 1 } },
    ];
    server.respondWith(() => replies.shift()!);
    const models = await pricedModel({ baseUrl: server.openaiBaseUrl, maxAttempts: 3 });
    await models.service.complete(longCall());
    const entries = await models.ledger.entries();
    assert.deepEqual(
      entries.map((e) => `${e.outcome}:${e.billable}`),
      ['failed:true', 'failed:true', 'ok:true'],
    );
    assert.ok(entries.every((e) => e.costUsd > 0));
    const spent = models.service.spentBy('g-failed');
    assert.equal(spent.calls, 3);
    assert.ok(Math.abs(spent.costUsd - entries.reduce((sum, e) => sum + e.costUsd, 0)) < 1e-12);
  });
});

describe('attempts refused before any answer are failures, not calls, at no cost', () => {
  for (const status of [500, 429, 401]) {
    it(`a ${status} answer`, async () => {
      server.respondWith(() => ({ status, ...(status === 429 ? { headers: { 'retry-after': '0' } } : {}) }));
      const models = await pricedModel({ baseUrl: server.openaiBaseUrl, maxAttempts: 2 });
      await assert.rejects(models.service.complete(longCall()), ModelCallError);
      const entries = await models.ledger.entries();
      assert.equal(entries.length, status === 401 ? 1 : 2, 'a refused key is not retried; the others are, and each is recorded');
      for (const e of entries) {
        assert.deepEqual([e.outcome, e.billable, e.inputTokens, e.outputTokens, e.costUsd], ['failed', false, 0, 0, 0]);
      }
      const summary = await models.ledger.summary(new Date(), { perGenerationUsd: 0, perDayUsd: 0 });
      assert.deepEqual(
        { calls: summary.todayTotals.calls, failures: summary.todayTotals.failures, costUsd: summary.todayTotals.costUsd },
        { calls: 0, failures: entries.length, costUsd: 0 },
      );
      assert.equal(summary.today, localDay(new Date()));
    });
  }

  it('a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const models = await pricedModel({ baseUrl: `http://127.0.0.1:${port}/v1`, maxAttempts: 2 });
    await assert.rejects(models.service.complete(longCall()), (err: unknown) => err instanceof ModelCallError && err.errors.every((e) => e.kind === 'network'));
    const entries = await models.ledger.entries();
    assert.equal(entries.length, 2);
    assert.ok(entries.every((e) => !e.billable && e.costUsd === 0));
    const totals = models.service.spentBy('g-failed');
    assert.deepEqual({ calls: totals.calls, failures: totals.failures, costUsd: totals.costUsd }, { calls: 0, failures: 2, costUsd: 0 });
  });
});
