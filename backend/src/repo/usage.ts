// Usage and cost, from the model ledgers of pushed capsules: one team's, or every team's.
import type { UsageReport, UsageRow } from '../../../protocol/backendApi';
import type { Queryable } from '../db/database';

const groupings: Record<UsageReport['by'], string> = {
  provider: 'provider',
  model: "provider || ':' || model",
  tier: 'tier',
  capsule: 'capsule_id',
  pushedBy: 'pushed_by',
  day: "to_char(pushed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
  team: 'team',
};

/** The usage of `team` (every team when null), grouped `by`. */
export async function usageReport(db: Queryable, team: string | null, by: UsageReport['by'], from?: string, to?: string): Promise<UsageReport> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (team !== null) where.push(`team = $${params.push(team)}`);
  if (from) where.push(`pushed_at >= $${params.push(from)}`);
  if (to) where.push(`pushed_at < $${params.push(to)}`);
  const rows = await db.query<{ key: string; calls: number; input_tokens: number; output_tokens: number; cost_usd: number }>(
    `SELECT ${groupings[by]} AS key, sum(calls)::float8 AS calls, sum(input_tokens)::float8 AS input_tokens,
            sum(output_tokens)::float8 AS output_tokens, sum(cost_usd)::float8 AS cost_usd
     FROM usage_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY 1 ORDER BY 5 DESC, 1`,
    params,
  );
  const list: UsageRow[] = rows.map((r) => ({
    key: r.key,
    calls: Number(r.calls),
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
    costUsd: Number(r.cost_usd),
  }));
  const total = list.reduce(
    (t, r) => ({
      calls: t.calls + r.calls,
      inputTokens: t.inputTokens + r.inputTokens,
      outputTokens: t.outputTokens + r.outputTokens,
      costUsd: t.costUsd + r.costUsd,
    }),
    { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
  );
  return { from: from ?? null, to: to ?? null, by, team, rows: list, total };
}
