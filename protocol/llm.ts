// Model tiers, the cost ledger and usage summaries, shared by server, extension and webviews.
import type { ProviderId } from './machine';

export const tiers = ['T0', 'T1', 'T2', 'T3'] as const;
export type Tier = (typeof tiers)[number];

/** One model call, as recorded in the ledger. */
export interface LedgerEntry {
  /** ISO time the call started. */
  at: string;
  provider: ProviderId;
  model: string;
  tier: Tier;
  /** What the call was for, e.g. `plan`, `file`, `repair`, `probe`. */
  task: string;
  inputTokens: number;
  outputTokens: number;
  /** `provider` when the provider reported usage, `estimated` when counted with a tokenizer. */
  usageSource: 'provider' | 'estimated';
  latencyMs: number;
  costUsd: number;
  /** `ok`: the model finished; `cancelled`: stopped on request; `failed`: an error ended it. */
  outcome: 'ok' | 'cancelled' | 'failed';
  /**
   * False for an attempt that sent nothing billable (a refused connection, an error status before
   * any answer): counted as a failure, at no cost. A cancelled or cut call is billable: it costs the
   * prompt it sent and what it received.
   */
  billable: boolean;
  /** The error kind and sentence, when the call failed. */
  error?: string;
  generationId?: string;
  capsuleId?: string;
  /** Whether what the call produced passed validation, when the caller knows (generation does). */
  validated?: boolean;
}

export interface SpendTotals {
  costUsd: number;
  /** Billable calls: finished, cancelled or cut. */
  calls: number;
  /** Attempts that failed before sending anything billable (not calls, no cost). */
  failures: number;
  inputTokens: number;
  outputTokens: number;
}

export interface UsageSummary {
  /** The local day the summary was made for (YYYY-MM-DD). */
  today: string;
  todayTotals: SpendTotals;
  /** The last 14 days, oldest first, days without calls included. */
  byDay: Array<{ day: string } & SpendTotals>;
  byTier: Partial<Record<Tier, SpendTotals>>;
  byProvider: Partial<Record<ProviderId, SpendTotals>>;
  /** The most recent successful call's model, for the status bar. */
  last?: { provider: ProviderId; model: string; tier: Tier; at: string };
  budgets: { perGenerationUsd: number; perDayUsd: number };
}

/** A cost for people: cents for sums, four decimals for the small amounts single calls cost. */
export function formatUsd(n: number): string {
  return `$${n.toFixed(n > 0 && n < 0.1 ? 4 : 2)}`;
}
