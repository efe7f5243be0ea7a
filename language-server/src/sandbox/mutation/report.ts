// The mutation report from what the driver said about each chosen mutant.
import type { MutationReport } from '../../../../protocol/sandbox';
import type { Mutant, MutantResult } from './types';

export interface ReportInput {
  mutants: readonly Mutant[];
  results: readonly MutantResult[];
  /** What made the measure partial, one sentence each. */
  problems: readonly string[];
  /** Code files that could not be mutated at all (missing, or they do not parse): each is an error. */
  badFiles: number;
  tool: string;
  durationMs: number;
  error?: string;
}

export function mutationReport(input: ReportInput): MutationReport {
  const byId = new Map(input.results.map((r) => [r.id, r]));
  const count = (status: MutantResult['status']) => input.results.filter((r) => r.status === status).length;
  const killed = count('killed');
  const survived = count('survived');
  const timedOut = count('timedOut');
  const ran = killed + survived + timedOut;
  return {
    mutants: input.mutants.length,
    killed,
    survived,
    timedOut,
    errors: count('error') + input.badFiles,
    notRun: input.mutants.filter((m) => !byId.has(m.id)).length,
    score: ran ? (killed + timedOut) / ran : 0,
    durationMs: Math.round(input.durationMs),
    survivors: input.mutants
      .filter((m) => byId.get(m.id)?.status === 'survived')
      .map((m) => ({ file: m.file, line: m.line, operator: m.operator, original: m.original, mutated: m.mutated })),
    tool: input.tool,
    ...(input.error ? { error: input.error } : {}),
    problems: [...input.problems],
  };
}
