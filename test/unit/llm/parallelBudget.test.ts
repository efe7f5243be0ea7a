// Parallel calls against a small budget, through the real SDK and the loopback model server:
// each call holds its worst case before it starts, so together they never spend past the budget.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BudgetExceededError } from '../../../language-server/src/llm/budget';
import { worstCaseCost } from '../../../language-server/src/llm/callCost';
import { FakeModelServer } from '../../support/fakeModelServer';
import { fileCall, pricedModel, pricePerMTok, recordedSpend } from './spendFixtures';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());

// Each answer streams for about 100 ms, so parallel calls overlap; 20 + 1 tokens cost $0.0021.
const realCostUsd = (21 * pricePerMTok) / 1e6;
server.respondWith(() => ({ text: ['export const ', 'add = ', '(a, b) => a + b;'], usage: { input: 20, output: 1 }, delayMs: 30 }));

const budgetUsd = 0.006;

async function runParallel(count: number, budget: 'perGeneration' | 'perDay', budgetValue = budgetUsd) {
  const models = await pricedModel({
    baseUrl: server.openaiBaseUrl,
    ...(budget === 'perGeneration' ? { perGenerationUsd: budgetValue } : { perDayUsd: budgetValue }),
  });
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => models.service.complete(fileCall(budget === 'perGeneration' ? { generationId: 'g-parallel' } : {}))),
  );
  const spent = await recordedSpend(models.ledger);
  return { results, spent, overshoot: Math.max(0, spent - budgetValue), ledger: models.ledger };
}

describe('parallel calls and budgets', () => {
  it('holds a worst case that covers what a call then costs', async () => {
    const worst = await worstCaseCost({ 'local:priced': { inputPerMTok: pricePerMTok, outputPerMTok: pricePerMTok } }, 'local', {
      ...fileCall().request,
      model: 'priced',
    });
    assert.ok(worst >= realCostUsd, `holds ${worst}, costs ${realCostUsd}`);
    // Two holds fit the budget, and three calls at their real cost would not: the case that overshot.
    assert.ok(2 * worst <= budgetUsd && 3 * realCostUsd > budgetUsd, `worst case ${worst}`);
  });

  for (const budget of ['perGeneration', 'perDay'] as const) {
    for (const count of [3, 8]) {
      it(`${count} parallel calls never spend past the ${budget === 'perGeneration' ? 'per-generation' : 'daily'} budget; the rest are refused with the budget error`, async (t) => {
        const { results, spent, overshoot } = await runParallel(count, budget);
        t.diagnostic(`${count} parallel calls, ${budget} budget $${budgetUsd}: spent $${spent.toFixed(6)}, overshoot $${overshoot.toFixed(6)}`);
        assert.equal(overshoot, 0, `spent ${spent} of ${budgetUsd}`);
        const done = results.filter((r) => r.status === 'fulfilled');
        const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.ok(done.length >= 1, 'some calls ran');
        assert.ok(refused.length >= 1, 'some calls were refused');
        const setting =
          budget === 'perGeneration'
            ? /per-generation budget of \$0\.0060 .*raise qlp\.budget\.perGenerationUsd or --budget-usd to continue\.$/
            : /daily budget of \$0\.0060 .*raise qlp\.budget\.perDayUsd to continue\.$/;
        for (const r of refused) {
          assert.ok(r.reason instanceof BudgetExceededError, String(r.reason));
          assert.equal(r.reason.budget, budget);
          assert.match(r.reason.message, setting);
        }
        assert.ok(Math.abs(spent - done.length * realCostUsd) < 1e-12, 'only the calls that ran were paid for');
      });
    }
  }

  it('a call that fits once the calls in flight settle waits for them instead of failing', async () => {
    // Three worst cases do not fit $0.0075 at once, but three real costs ($0.0063) do.
    const { results, spent } = await runParallel(3, 'perGeneration', 0.0075);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.ok(spent <= 0.0075);
  });

  it('a cancel while waiting for room sends nothing and records nothing', async () => {
    const models = await pricedModel({ baseUrl: server.openaiBaseUrl, perGenerationUsd: 0.0075 });
    const before = server.requests.length;
    const first = [models.service.complete(fileCall({ generationId: 'g-wait' })), models.service.complete(fileCall({ generationId: 'g-wait' }))];
    const controller = new AbortController();
    const waiting = models.service.complete(fileCall({ generationId: 'g-wait', signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await assert.rejects(waiting, (err: { kind?: string }) => err.kind === 'cancelled');
    await Promise.all(first);
    assert.equal(server.requests.length - before, 2);
    assert.equal((await models.ledger.entries()).length, 2);
  });
});
