// The quality score: 0–100 from measured facts only (docs/validation.md has the formula).
import type { Finding, FindingSeverity, StageId, StageReport, TestCounts } from '../../../protocol/validate';

/** What one finding costs, by stage and severity, before a stage's cap. */
export const findingWeights: Record<StageId, Record<FindingSeverity, number>> = {
  syntax: { error: 10, warning: 1, info: 0 },
  lint: { error: 3, warning: 1, info: 0 },
  types: { error: 6, warning: 1, info: 0 },
  security: { error: 8, warning: 2, info: 0 },
  tests: { error: 6, warning: 1, info: 0 },
};

/** The most points one stage's findings can take. */
export const stageCaps: Record<StageId, number> = { syntax: 40, lint: 15, types: 30, security: 30, tests: 40 };

/** Points lost to a measured coverage of 0 (scaled linearly up to full coverage). */
export const coverageWeight = 10;

/** A stage's penalty: approaches its cap as findings add up, never passes it. */
export function stagePenalty(stage: StageId, findings: Finding[]): number {
  const raw = findings.reduce((sum, f) => sum + findingWeights[stage][f.severity], 0);
  const cap = stageCaps[stage];
  return cap * (1 - Math.exp(-raw / cap));
}

export interface ScoreInput {
  diagnostics: Finding[];
  stages: StageReport[];
  tests?: TestCounts;
  coverage?: number;
}

export function qualityScore({ diagnostics, stages, tests, coverage }: ScoreInput): number {
  let penalty = 0;
  for (const { stage, status } of stages) {
    if (status === 'skipped') continue;
    if (stage === 'tests' && tests && tests.passed + tests.failed > 0) {
      penalty += stageCaps.tests * (tests.failed / (tests.passed + tests.failed));
      continue;
    }
    penalty += stagePenalty(
      stage,
      diagnostics.filter((f) => f.stage === stage),
    );
  }
  if (coverage !== undefined) penalty += coverageWeight * (1 - Math.min(1, Math.max(0, coverage)));
  return Math.max(0, Math.min(100, Math.round(100 - penalty)));
}
