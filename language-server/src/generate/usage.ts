// A run's token and cost totals: what its model turns report spending (for a live run the
// ledger's figures, failed and cancelled calls included; for a replay nothing, with the recorded
// cost beside it), else the sum of the turns it served.
import type { GenerationUsage } from '../../../protocol/generate';
import type { ModelTurns, RunSpend } from './turns';

export function usageOf(turns: ModelTurns, budgetUsd: number): GenerationUsage {
  const spent: RunSpend =
    turns.spent?.() ??
    turns.turns.reduce<RunSpend>(
      (sum, t) => ({
        calls: sum.calls + 1,
        inputTokens: sum.inputTokens + t.inputTokens,
        outputTokens: sum.outputTokens + t.outputTokens,
        costUsd: sum.costUsd + t.costUsd,
      }),
      { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    );
  return { ...spent, budgetUsd };
}
