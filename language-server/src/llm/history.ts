// What the ledger says about each tier: per task kind, how often calls succeeded and what they
// cost — the router's memory. A call succeeded when it completed and, where the caller recorded
// a validation verdict, passed it.
import type { LedgerEntry, Tier } from '../../../protocol/llm';
import type { TierHistory } from './router';
import type { TaskKind } from './taskFeatures';

export function tierHistory(entries: readonly LedgerEntry[]): TierHistory[] {
  const groups = new Map<string, { kind: TaskKind; tier: Tier; attempts: number; successes: number; cost: number }>();
  for (const e of entries) {
    if (e.outcome === 'cancelled') continue;
    const key = `${e.task}/${e.tier}`;
    const group = groups.get(key) ?? { kind: e.task as TaskKind, tier: e.tier, attempts: 0, successes: 0, cost: 0 };
    group.attempts++;
    if (e.outcome === 'ok' && e.validated !== false) group.successes++;
    group.cost += e.costUsd;
    groups.set(key, group);
  }
  return [...groups.values()].map(({ cost, ...g }) => ({ ...g, avgCostUsd: g.attempts ? cost / g.attempts : 0 }));
}
