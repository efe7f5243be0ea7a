// A run's token and cost totals, summed from its recorded turns (so a replay reports the same).
import type { GenerationUsage } from '../../../protocol/generate';
import type { TranscriptTurn } from './transcript';

export function usageOf(turns: readonly TranscriptTurn[], budgetUsd: number): GenerationUsage {
  return turns.reduce<GenerationUsage>(
    (sum, t) => ({ ...sum, calls: sum.calls + 1, inputTokens: sum.inputTokens + t.inputTokens, outputTokens: sum.outputTokens + t.outputTokens, costUsd: sum.costUsd + t.costUsd }),
    { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, budgetUsd },
  );
}
