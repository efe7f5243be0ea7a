// What a generation reports it spent: live, every paid call of the generation (a cut one too),
// from the ledger; replayed, nothing, with the recorded cost told apart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LiveTurns, ReplayTurns, type TurnRequest } from '../../../language-server/src/generate/turns';
import { usageOf } from '../../../language-server/src/generate/usage';
import { FakeModelServer, type Reply } from '../../support/fakeModelServer';
import { pricedModel } from './spendFixtures';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());

const turn = (key: string): TurnRequest => ({
  key,
  task: 'file',
  tier: 'T1',
  prompt: { system: 'Write the file.', messages: [{ role: 'user', content: `Write ${key}.` }] },
  maxTokens: 200,
  maxChars: 10_000,
  signal: new AbortController().signal,
});

describe('generation spend', () => {
  it('a live run reports every paid call, and its replay reports no cost with the recorded cost beside it', async () => {
    const replies: Reply[] = [
      { text: ['{"files": []}'], usage: { input: 300, output: 40 } },
      { text: ['export const a', ' = 1;'], fault: { after: 1, kind: 'cut' } },
      { text: ['export const a = 1;'], usage: { input: 200, output: 30 } },
    ];
    server.respondWith(() => replies.shift()!);
    const models = await pricedModel({ baseUrl: server.openaiBaseUrl, maxAttempts: 2 });
    const live = new LiveTurns(models.service, 'g-live');
    await live.complete(turn('plan'));
    await live.complete(turn('file:a.ts'));

    const entries = await models.ledger.entries();
    assert.deepEqual(
      entries.map((e) => e.outcome),
      ['ok', 'failed', 'ok'],
    );
    const paid = entries.reduce((sum, e) => sum + e.costUsd, 0);
    const transcriptCost = live.turns.reduce((sum, t) => sum + t.costUsd, 0);
    assert.ok(paid > transcriptCost, 'the cut attempt cost something the transcript does not show');
    const liveUsage = usageOf(live, 2);
    assert.equal(liveUsage.calls, 3);
    assert.ok(Math.abs(liveUsage.costUsd - paid) < 1e-12);
    assert.equal(liveUsage.recordedCostUsd, undefined);

    const requests = server.requests.length;
    const replay = new ReplayTurns({ transcriptVersion: 1, generationId: 'g-live', requirements: 'r', stack: 'node-cli', turns: live.turns });
    const served = [await replay.complete(turn('plan')), await replay.complete(turn('file:a.ts'))];
    assert.equal(server.requests.length, requests, 'no model was called');
    assert.deepEqual(
      served.map((s) => s.costUsd),
      [0, 0],
    );
    assert.deepEqual(replay.turns, live.turns, "the replay's transcript equals the original");
    const replayUsage = usageOf(replay, 2);
    assert.deepEqual(
      { ...replayUsage, recordedCostUsd: undefined },
      { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, budgetUsd: 2, recordedCostUsd: undefined },
    );
    assert.ok(replayUsage.recordedCostUsd! > 0);
    assert.ok(Math.abs(replayUsage.recordedCostUsd! - transcriptCost) < 1e-12);
  });
});
