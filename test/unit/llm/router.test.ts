import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tierHistory } from '../../../language-server/src/llm/history';
import { complexity, decideTier, escalate, minHistorySample, tierScore, type TierHistory } from '../../../language-server/src/llm/router';
import { extractFeatures } from '../../../language-server/src/llm/taskFeatures';
import { tiers } from '../../../protocol/llm';

const all = tiers;
const plan = (n: number, folders = 1) => ({ files: Array.from({ length: n }, (_, i) => ({ path: `${folders > 1 ? `c${i % folders}/` : ''}f${i}.ts` })) });

describe('task features', () => {
  it('finds risk domains in the requirements', () => {
    const f = extractFeatures('plan', 'A user API with JWT login, Stripe payments and a database migration.');
    assert.deepEqual(f.domains, ['auth', 'payments', 'migrations']);
    assert.deepEqual(extractFeatures('file', 'A CLI that prints the date.').domains, []);
  });

  it('counts files and components from the plan', () => {
    const f = extractFeatures('file', 'x', plan(12, 4));
    assert.equal(f.fileCount, 12);
    assert.equal(f.componentCount, 4);
  });
});

describe('tier router', () => {
  it('sends a small task to T0 and says why', () => {
    const d = decideTier({ features: extractFeatures('file', 'A CLI that prints the date.', plan(3)), available: all });
    assert.equal(d.tier, 'T0');
    assert.match(d.reason, /^T0: a small task$/);
  });

  it('climbs with measured complexity', () => {
    assert.equal(decideTier({ features: extractFeatures('file', 'x', plan(8)), available: all }).tier, 'T1');
    const auth = decideTier({ features: extractFeatures('file', 'A service with OAuth login and payments', plan(8)), available: all });
    assert.equal(auth.tier, 'T2');
    assert.match(auth.reason, /8 files, auth domain, payments domain/);
    const big = decideTier({ features: extractFeatures('plan', 'Microservices with payments, auth and migrations', plan(20, 5)), available: all });
    assert.equal(big.tier, 'T3');
  });

  it('plans one tier above writing a file of the same task', () => {
    const text = 'A small todo API';
    assert.equal(decideTier({ features: extractFeatures('file', text), available: all }).tier, 'T0');
    assert.equal(decideTier({ features: extractFeatures('plan', text), available: all }).tier, 'T1');
  });

  it('sends connection probes to the cheapest tier', () => {
    assert.equal(complexity(extractFeatures('probe', 'payments auth migrations')).points, 0);
  });

  it('obeys an explicit override, and says when it cannot', () => {
    assert.deepEqual(decideTier({ features: extractFeatures('file', 'x'), available: all, override: 'T3' }), {
      tier: 'T3',
      reason: 'T3: chosen by the user',
      skipped: [],
    });
    const d = decideTier({ features: extractFeatures('file', 'x'), available: ['T0', 'T2'], override: 'T1' });
    assert.equal(d.tier, 'T2');
    assert.match(d.reason, /asked for T1, which has no configured provider/);
  });

  it('uses the nearest available tier: up first, then down', () => {
    assert.equal(decideTier({ features: extractFeatures('file', 'x'), available: ['T2'] }).tier, 'T2');
    const big = extractFeatures('plan', 'payments auth migrations concurrency', plan(20, 5));
    assert.equal(decideTier({ features: big, available: ['T0', 'T1'] }).tier, 'T1');
  });

  it('refuses with a clear sentence when no provider is configured', () => {
    assert.throws(
      () => decideTier({ features: extractFeatures('file', 'x'), available: [] }),
      /No model provider is configured; set one up with "QLP: Set API key"/,
    );
  });

  it('skips a tier that keeps failing, given enough history', () => {
    const history: TierHistory[] = [
      { kind: 'file', tier: 'T0', attempts: 10, successes: 2, avgCostUsd: 0.001 },
      { kind: 'file', tier: 'T1', attempts: 10, successes: 9, avgCostUsd: 0.01 },
    ];
    const d = decideTier({ features: extractFeatures('file', 'x'), available: all, history });
    assert.equal(d.tier, 'T1');
    assert.equal(d.skipped[0].tier, 'T0');
    assert.match(d.reason, /T0 succeeded in 20% of 10 file tasks/);
  });

  it('does not act on a tiny sample, nor on another kind of task', () => {
    const thin: TierHistory[] = [{ kind: 'file', tier: 'T0', attempts: minHistorySample - 1, successes: 0, avgCostUsd: 0 }];
    assert.equal(decideTier({ features: extractFeatures('file', 'x'), available: all, history: thin }).tier, 'T0');
    const otherKind: TierHistory[] = [{ kind: 'repair', tier: 'T0', attempts: 20, successes: 0, avgCostUsd: 0 }];
    assert.equal(decideTier({ features: extractFeatures('file', 'x'), available: all, history: otherKind }).tier, 'T0');
  });

  it('scores tiers by success and relative cost', () => {
    const cheapGood = tierScore({ kind: 'file', tier: 'T0', attempts: 10, successes: 9, avgCostUsd: 0.001 }, 0.1);
    const dearGood = tierScore({ kind: 'file', tier: 'T3', attempts: 10, successes: 10, avgCostUsd: 0.1 }, 0.1);
    assert.ok(Math.abs(cheapGood - (0.7 * 0.9 + 0.3 * 0.99)) < 1e-9);
    assert.ok(Math.abs(dearGood - 0.7) < 1e-9);
  });

  it('escalates to the next available tier, and stops at the top', () => {
    assert.equal(escalate('T0', all), 'T1');
    assert.equal(escalate('T1', ['T0', 'T1', 'T3']), 'T3');
    assert.equal(escalate('T3', all), undefined);
  });
});

describe('history from the ledger', () => {
  it('counts attempts, successes and average cost per task kind and tier', () => {
    const base = {
      at: '2026-11-26T10:00:00Z',
      provider: 'openai' as const,
      model: 'm',
      inputTokens: 1,
      outputTokens: 1,
      usageSource: 'provider' as const,
      latencyMs: 1,
      billable: true,
    };
    const history = tierHistory([
      { ...base, tier: 'T0', task: 'file', costUsd: 0.01, outcome: 'ok' },
      { ...base, tier: 'T0', task: 'file', costUsd: 0.03, outcome: 'ok', validated: false },
      { ...base, tier: 'T0', task: 'file', costUsd: 0.02, outcome: 'failed' },
      { ...base, tier: 'T0', task: 'file', costUsd: 0, outcome: 'cancelled' },
      { ...base, tier: 'T2', task: 'plan', costUsd: 0.5, outcome: 'ok', validated: true },
    ]);
    const t0 = history.find((h) => h.tier === 'T0')!;
    assert.deepEqual({ ...t0, avgCostUsd: Number(t0.avgCostUsd.toFixed(4)) }, { kind: 'file', tier: 'T0', attempts: 3, successes: 1, avgCostUsd: 0.02 });
    assert.deepEqual(
      history.find((h) => h.tier === 'T2'),
      { kind: 'plan', tier: 'T2', attempts: 1, successes: 1, avgCostUsd: 0.5 },
    );
  });
});
