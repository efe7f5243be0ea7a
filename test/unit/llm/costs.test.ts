import assert from 'node:assert/strict';
import { mkdtempSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BudgetExceededError, checkBudget, nearDailyBudget } from '../../../language-server/src/llm/budget';
import { Ledger, localDay } from '../../../language-server/src/llm/ledger';
import { failureSignature, LoopGuard } from '../../../language-server/src/llm/loopGuard';
import { costOf, defaultPrices, mergePrices } from '../../../language-server/src/llm/pricing';
import { retryDelay, defaultRetryPolicy } from '../../../language-server/src/llm/retry';
import { ProviderError } from '../../../language-server/src/llm/errors';
import { countTokens } from '../../../language-server/src/llm/tokens';
import type { LedgerEntry } from '../../../protocol/llm';
import { ledgerEntry } from './spendFixtures';

const entry = (over: Partial<LedgerEntry>): LedgerEntry => ledgerEntry({ at: new Date(2026, 10, 26, 12).toISOString(), ...over });

describe('pricing', () => {
  it('prices by the longest matching model prefix', () => {
    const mini = costOf(defaultPrices, 'openai', 'gpt-4.1-mini-2025-04-14', 1_000_000, 1_000_000);
    assert.deepEqual(mini, { costUsd: 0.4 + 1.6, priced: true });
    assert.equal(costOf(defaultPrices, 'openai', 'gpt-4.1', 1_000_000, 0).costUsd, 2);
    assert.equal(costOf(defaultPrices, 'anthropic', 'claude-sonnet-4-5', 2_000_000, 0).costUsd, 6);
  });

  it('prices local models at zero, Azure deployments named after a model like the model, others as unknown', () => {
    assert.deepEqual(costOf(defaultPrices, 'local', 'qwen2.5-coder:7b', 5000, 5000), { costUsd: 0, priced: true });
    assert.equal(costOf(defaultPrices, 'azure', 'gpt-4.1', 1_000_000, 0).costUsd, 2);
    assert.deepEqual(costOf(defaultPrices, 'azure', 'prod-deployment', 1000, 1000), { costUsd: 0, priced: false });
  });

  it('takes valid overrides and reports malformed ones', () => {
    const { table, problems } = mergePrices({ 'azure:prod-deployment': { inputPerMTok: 1, outputPerMTok: 2 }, nonsense: { inputPerMTok: -1 } });
    assert.equal(costOf(table, 'azure', 'prod-deployment', 1_000_000, 1_000_000).costUsd, 3);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /"nonsense"/);
  });
});

describe('tokens', () => {
  it('counts tokens with a real tokenizer', async () => {
    assert.equal(await countTokens(''), 0);
    const n = await countTokens('function add(a, b) { return a + b; }');
    assert.ok(n > 5 && n < 20, `counted ${n}`);
  });

  it('counts a long run without whitespace (an endless stream of one character) in seconds, not hours', async () => {
    const started = performance.now();
    const n = await countTokens('x'.repeat(100_000));
    // Whole, the run took 12 s at 16,000 characters and grows with the square of its length.
    assert.ok(performance.now() - started < 10_000, `took ${Math.round(performance.now() - started)} ms`);
    assert.ok(n >= 100_000 / 8 && n <= 100_000 / 8 + 100_000 / 32, `counted ${n}`);
  });
});

describe('ledger', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'qlp-ledger-')), 'ledger.jsonl');

  it('appends, survives a reopen, and skips a torn line', async () => {
    const path = file();
    const ledger = new Ledger(path);
    await ledger.append(entry({}));
    appendFileSync(path, '\n{"at": "2026-11-26T1'); // a crash mid-write
    const reopened = new Ledger(path);
    await reopened.append(entry({ costUsd: 0.02 }));
    const again = new Ledger(path);
    assert.equal((await again.entries()).length, 2);
    assert.equal(again.skippedLines, 1);
  });

  it('totals per day, generation, tier and provider', async () => {
    const path = file();
    writeFileSync(path, '');
    const ledger = new Ledger(path);
    const now = new Date(2026, 10, 26, 15);
    const yesterday = new Date(2026, 10, 25, 9).toISOString();
    await ledger.append(entry({ costUsd: 0.5, generationId: 'g1' }));
    await ledger.append(entry({ costUsd: 0.25, generationId: 'g1', tier: 'T2', provider: 'anthropic', model: 'claude-sonnet-4-5' }));
    await ledger.append(entry({ costUsd: 1, at: yesterday, generationId: 'g0' }));
    assert.equal(await ledger.spentOn(localDay(now)), 0.75);
    assert.equal((await ledger.spentFor({ generationId: 'g1' })).costUsd, 0.75);
    const summary = await ledger.summary(now, { perGenerationUsd: 2, perDayUsd: 10 });
    assert.equal(summary.todayTotals.calls, 2);
    assert.equal(summary.byDay.length, 14);
    assert.equal(summary.byDay.at(-1)!.day, localDay(now));
    assert.equal(summary.byDay.at(-2)!.costUsd, 1);
    assert.equal(summary.byTier.T1!.costUsd, 1.5);
    assert.equal(summary.byProvider.anthropic!.calls, 1);
    assert.equal(summary.last?.model, 'claude-sonnet-4-5');
  });
});

describe('budgets', () => {
  it('stops a call that could exceed the per-generation budget, naming it', () => {
    assert.throws(
      () => checkBudget({ perGenerationUsd: 1, perDayUsd: 0 }, { spentTodayUsd: 0, spentGenerationUsd: 0.95, nextCallUsd: 0.1 }),
      (err: unknown) => err instanceof BudgetExceededError && err.budget === 'perGeneration' && /per-generation budget of \$1\.00/.test(err.message),
    );
  });

  it('stops a call that could exceed the daily budget, naming it', () => {
    assert.throws(
      () => checkBudget({ perGenerationUsd: 0, perDayUsd: 5 }, { spentTodayUsd: 4.99, spentGenerationUsd: 0, nextCallUsd: 0.02 }),
      /daily budget of \$5\.00/,
    );
  });

  it('lets calls within budget through; 0 means no limit', () => {
    checkBudget({ perGenerationUsd: 1, perDayUsd: 5 }, { spentTodayUsd: 1, spentGenerationUsd: 0.5, nextCallUsd: 0.4 });
    checkBudget({ perGenerationUsd: 0, perDayUsd: 0 }, { spentTodayUsd: 1e6, spentGenerationUsd: 1e6, nextCallUsd: 1e6 });
  });

  it('asks a call to wait when only calls in flight stand in the way, and refuses it when the spend alone does', () => {
    const budgets = { perGenerationUsd: 1, perDayUsd: 5 };
    assert.equal(checkBudget(budgets, { spentTodayUsd: 0, spentGenerationUsd: 0.5, heldGenerationUsd: 0.4, nextCallUsd: 0.1 }), 'fits');
    assert.equal(checkBudget(budgets, { spentTodayUsd: 0, spentGenerationUsd: 0.5, heldGenerationUsd: 0.41, nextCallUsd: 0.1 }), 'wait');
    assert.equal(checkBudget(budgets, { spentTodayUsd: 4, spentGenerationUsd: 0, heldTodayUsd: 0.95, nextCallUsd: 0.1 }), 'wait');
    assert.throws(() => checkBudget(budgets, { spentTodayUsd: 0, spentGenerationUsd: 0.95, heldGenerationUsd: 0, nextCallUsd: 0.1 }), BudgetExceededError);
  });

  it('warns at 80% of the daily budget', () => {
    assert.equal(nearDailyBudget({ perGenerationUsd: 0, perDayUsd: 10 }, 7.9), false);
    assert.equal(nearDailyBudget({ perGenerationUsd: 0, perDayUsd: 10 }, 8), true);
  });
});

describe('loop guard', () => {
  it('flags the same failure twice in a row, ignoring volatile details', () => {
    const guard = new LoopGuard();
    const first = failureSignature(['test add failed after 12 ms', 'TS2322 at /tmp/qlp-abc/src/a.ts']);
    const again = failureSignature(['TS2322 at /tmp/qlp-xyz/src/a.ts', 'test add failed after 31 ms']);
    assert.equal(first, again);
    assert.equal(guard.onFailure(first), 'new');
    assert.equal(guard.onFailure(again), 'repeat');
  });

  it('treats a different failure, or one after a success, as new', () => {
    const guard = new LoopGuard();
    guard.onFailure(failureSignature(['a']));
    assert.equal(guard.onFailure(failureSignature(['b'])), 'new');
    guard.onSuccess();
    assert.equal(guard.onFailure(failureSignature(['b'])), 'new');
  });
});

describe('retry policy', () => {
  const err = (kind: ProviderError['kind'], retryAfterMs?: number) => new ProviderError('openai', kind, 'x', retryAfterMs);

  it('never retries a bad key, a bad request or a cancel', () => {
    for (const kind of ['auth', 'badRequest', 'cancelled'] as const) assert.equal(retryDelay(err(kind), 1, defaultRetryPolicy), undefined);
  });

  it('waits at least as long as Retry-After says', () => {
    assert.ok(retryDelay(err('rateLimit', 2000), 1, defaultRetryPolicy, () => 0)! >= 2000);
    assert.ok(retryDelay(err('rateLimit', 2000), 1, defaultRetryPolicy, () => 1)! <= 2500);
  });

  it('falls back instead of waiting a very long Retry-After', () => {
    assert.equal(retryDelay(err('rateLimit', 10 * 60_000), 1, defaultRetryPolicy), undefined);
  });

  it('backs off exponentially with jitter, and stops after the last attempt', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 10_000, maxAttempts: 4 };
    assert.equal(
      retryDelay(err('server'), 1, policy, () => 1),
      100,
    );
    assert.equal(
      retryDelay(err('server'), 2, policy, () => 1),
      200,
    );
    assert.equal(
      retryDelay(err('server'), 3, policy, () => 0),
      200,
    );
    assert.equal(retryDelay(err('server'), 4, policy), undefined);
  });
});
