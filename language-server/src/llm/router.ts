// The tier router: decides which tier (T0 cheap … T3 strongest) a task goes to, from measured
// features, an explicit override and what history says; escalates after repeated failures.
// Pure: every decision comes with the reason it was made.
import { tiers, type Tier } from '../../../protocol/llm';
import type { TaskFeatures, TaskKind } from './taskFeatures';

/** Success and cost of past calls of one task kind on one tier (from the ledger and outcomes). */
export interface TierHistory {
  kind: TaskKind;
  tier: Tier;
  attempts: number;
  successes: number;
  avgCostUsd: number;
}

export interface RouteInput {
  features: TaskFeatures;
  /** Tiers that have at least one configured provider. */
  available: readonly Tier[];
  override?: Tier;
  history?: readonly TierHistory[];
}

export interface RouteDecision {
  tier: Tier;
  reason: string;
  /** Tiers passed over because history says they keep failing. */
  skipped: Array<{ tier: Tier; reason: string }>;
}

/** Below this many attempts, history is too thin to act on. */
export const minHistorySample = 5;
/** A tier that succeeds less often than this (with enough samples) is skipped. */
export const failingSuccessRate = 0.4;

const index = (tier: Tier) => tiers.indexOf(tier);

/** Complexity points and why: each measured feature that calls for a stronger model adds to them. */
export function complexity(features: TaskFeatures): { points: number; because: string[] } {
  if (features.kind === 'probe') return { points: 0, because: ['a connection probe'] };
  const because: string[] = [];
  let points = 0;
  const count = (weight: number, why: string) => {
    points += weight;
    because.push(why);
  };
  if (features.fileCount >= 15) count(2, `${features.fileCount} files`);
  else if (features.fileCount >= 6) count(1, `${features.fileCount} files`);
  if (features.componentCount >= 4) count(1, `${features.componentCount} components`);
  if (features.requirementWords >= 150) count(1, `${features.requirementWords}-word requirements`);
  for (const domain of features.domains) count(1, `${domain} domain`);
  if (features.kind === 'plan') count(1, 'planning');
  return { points, because };
}

function tierForPoints(points: number): Tier {
  if (points === 0) return 'T0';
  if (points === 1) return 'T1';
  if (points <= 3) return 'T2';
  return 'T3';
}

/** 0.7 × success rate + 0.3 × (1 − cost relative to the dearest tier seen). */
export function tierScore(entry: TierHistory, maxCostUsd: number): number {
  const success = entry.attempts ? entry.successes / entry.attempts : 0;
  const relativeCost = maxCostUsd > 0 ? entry.avgCostUsd / maxCostUsd : 0;
  return 0.7 * success + 0.3 * (1 - relativeCost);
}

/** The nearest available tier at or above `tier`, else the strongest available below it. */
function nearestAvailable(tier: Tier, available: readonly Tier[]): Tier | undefined {
  const up = tiers.slice(index(tier)).find((t) => available.includes(t));
  return up ?? [...tiers.slice(0, index(tier))].reverse().find((t) => available.includes(t));
}

export function decideTier(input: RouteInput): RouteDecision {
  const { features, available } = input;
  if (!available.length) throw new Error('No model provider is configured; set one up with "QLP: Set API key" or the provider environment variables.');
  if (input.override) {
    const tier = nearestAvailable(input.override, available)!;
    const reason = tier === input.override ? `${tier}: chosen by the user` : `${tier}: the user asked for ${input.override}, which has no configured provider`;
    return { tier, reason, skipped: [] };
  }
  const { points, because } = complexity(features);
  let tier = nearestAvailable(tierForPoints(points), available)!;
  const basis = because.length ? because.join(', ') : 'a small task';
  let reason = `${tier}: ${basis}`;
  const skipped: RouteDecision['skipped'] = [];

  const history = (input.history ?? []).filter((h) => h.kind === features.kind);
  const maxCost = Math.max(0, ...history.map((h) => h.avgCostUsd));
  const failing = (t: Tier) => {
    const h = history.find((e) => e.tier === t);
    return h && h.attempts >= minHistorySample && h.successes / h.attempts < failingSuccessRate ? h : undefined;
  };
  for (let h = failing(tier); h; h = failing(tier)) {
    const next = tiers.slice(index(tier) + 1).find((t) => available.includes(t));
    if (!next) break;
    const rate = Math.round((100 * h.successes) / h.attempts);
    skipped.push({ tier, reason: `${tier} succeeded in ${rate}% of ${h.attempts} ${features.kind} tasks (score ${tierScore(h, maxCost).toFixed(2)})` });
    tier = next;
  }
  if (skipped.length) reason = `${tier}: ${basis}; history skipped ${skipped.map((s) => s.reason).join('; ')}`;
  return { tier, reason, skipped };
}

/** The next stronger available tier after repeated failures, or undefined at the top. */
export function escalate(current: Tier, available: readonly Tier[]): Tier | undefined {
  return tiers.slice(index(current) + 1).find((t) => available.includes(t));
}
