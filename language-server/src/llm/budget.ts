// Budgets stop runaway spending: checked before every call against what the call could cost,
// what was spent, and what calls still in flight could cost.
import { formatUsd as usd } from '../../../protocol/llm';

export interface Budgets {
  /** USD a single generation may spend; 0 means no limit. */
  perGenerationUsd: number;
  /** USD all calls of one local day may spend; 0 means no limit. */
  perDayUsd: number;
}

export class BudgetExceededError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly budget: 'perGeneration' | 'perDay',
  ) {
    super(message);
  }
}

export interface BudgetState {
  spentTodayUsd: number;
  spentGenerationUsd: number;
  /** Worst cases held by calls still in flight (they settle at their real cost). */
  heldTodayUsd?: number;
  heldGenerationUsd?: number;
  /** The most the next call can cost (its input plus its maximum output). */
  nextCallUsd: number;
}

/**
 * `fits` when the next call's worst case fits beside what was spent and what calls in flight
 * hold; `wait` when only those calls stand in the way (they may settle for less). Throws
 * BudgetExceededError, naming the budget, when what was spent alone leaves no room.
 */
export function checkBudget(budgets: Budgets, state: BudgetState): 'fits' | 'wait' {
  const heldGeneration = state.heldGenerationUsd ?? 0;
  const heldToday = state.heldTodayUsd ?? 0;
  if (budgets.perGenerationUsd > 0 && state.spentGenerationUsd + state.nextCallUsd > budgets.perGenerationUsd) {
    throw new BudgetExceededError(
      `Stopped: the next model call (up to ${usd(state.nextCallUsd)}) would exceed the per-generation budget of ${usd(budgets.perGenerationUsd)} (${usd(state.spentGenerationUsd)} spent); raise qlp.budget.perGenerationUsd or --budget-usd to continue.`,
      'perGeneration',
    );
  }
  if (budgets.perDayUsd > 0 && state.spentTodayUsd + state.nextCallUsd > budgets.perDayUsd) {
    throw new BudgetExceededError(
      `Stopped: the next model call (up to ${usd(state.nextCallUsd)}) would exceed the daily budget of ${usd(budgets.perDayUsd)} (${usd(state.spentTodayUsd)} spent today); raise qlp.budget.perDayUsd to continue.`,
      'perDay',
    );
  }
  const overGeneration = budgets.perGenerationUsd > 0 && state.spentGenerationUsd + heldGeneration + state.nextCallUsd > budgets.perGenerationUsd;
  const overDay = budgets.perDayUsd > 0 && state.spentTodayUsd + heldToday + state.nextCallUsd > budgets.perDayUsd;
  return overGeneration || overDay ? 'wait' : 'fits';
}

/** True once today's spend passes the warning share of the daily budget. */
export function nearDailyBudget(budgets: Budgets, spentTodayUsd: number, share = 0.8): boolean {
  return budgets.perDayUsd > 0 && spentTodayUsd >= budgets.perDayUsd * share;
}
