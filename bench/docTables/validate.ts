// docs/validation.md's measured table (`npm run bench:validate`).
import { block, caption, ms, notMeasured, seconds, table, thousands } from './format';
import type { DocTable } from './types';

interface Rate {
  found: number;
  total: number;
  recall: number | null;
}

interface Evaluation {
  cases: number;
  cleanCases: number;
  casesFailed: number;
  recall: { overall: Rate; byStage: Record<string, Rate> };
  falseAlarms: { cleanCaseErrors: number; unlabeledErrors: number };
  timeMs: { p50: number; max: number };
}

interface Quantiles {
  p50: number;
  p95: number;
  min: number;
  n: number;
}

interface ValidateFigures {
  publicEvaluation: { withoutTests: Evaluation | null; withTests: Evaluation | null };
  cold: {
    files: number;
    stages: number;
    ms: Quantiles;
    withoutCodeCacheMs: Quantiles;
    referenceLoopMs: Quantiles;
    quietReferenceMs: number;
    scaledToQuietHostMs: Quantiles;
  };
  warmEditMs: { typescript: Quantiles; typescriptWithTypes: Quantiles; python: Quantiles };
}

const rate = (r: Rate) => `${r.found}/${r.total}${r.recall === null ? '' : ` = ${r.recall} %`}`;
const stages = (e: Evaluation, names: string[]) => names.map((s) => `${s} ${e.recall.byStage[s].found}/${e.recall.byStage[s].total}`).join(', ');
const warm = (q: Quantiles) => `p50 ${ms(q.p50)}, p95 ${ms(q.p95)} (n=${q.n})`;

export const validationMeasured: DocTable = {
  id: 'validation-measured',
  doc: 'docs/validation.md',
  render(read) {
    const results = read<ValidateFigures>('validate');
    const head = caption([['validate', 'npm run bench:validate', results]]);
    const bench = notMeasured('npm run bench:validate');
    if (!results) return block(head, table(['What', 'Target', 'Measured'], [['Validation', '', bench]]));
    const { publicEvaluation: evaluation, cold, warmEditMs } = results.figures;
    const off = evaluation.withoutTests;
    const on = evaluation.withTests;
    const missing = 'the evaluation script was not found';
    const rows = [
      [
        'Public evaluation `shared/eval/validate`: recall',
        '≥ 95 %',
        off ? `${rate(off.recall.overall)} (${stages(off, ['syntax', 'lint', 'types', 'security'])})` : missing,
      ],
      [
        '… with `--with-tests` (tests stage on for the cases that need the sandbox)',
        '≥ 95 %',
        on ? `${rate(on.recall.overall)} (tests ${on.recall.byStage.tests.found}/${on.recall.byStage.tests.total})` : missing,
      ],
      [
        `Public evaluation: error findings in the ${off?.cleanCases ?? '?'} clean cases`,
        '0',
        off && on
          ? `${off.falseAlarms.cleanCaseErrors} without tests, ${on.falseAlarms.cleanCaseErrors} with (unlabeled errors in the ${off.cases - off.cleanCases} defect cases: ${off.falseAlarms.unlabeledErrors} and ${on.falseAlarms.unlabeledErrors})`
          : missing,
      ],
      ['Public evaluation: wall time per case', '', off ? `p50 ${seconds(off.timeMs.p50)}, max ${seconds(off.timeMs.max)}` : missing],
      [
        `Cold \`qlp validate\`, ${cold.files}-file TS + Python project, ${cold.stages} stages`,
        '< 4 s',
        `**p50 ${seconds(cold.ms.p50)}**, min ${seconds(cold.ms.min)}, p95 ${seconds(cold.ms.p95)} (n=${cold.ms.n}); without the code cache, alternating: p50 ${seconds(cold.withoutCodeCacheMs.p50)}`,
      ],
      [
        "The host's speed during those runs: the reference loop (scaled: each run × quiet / its loop)",
        '',
        `p50 ${thousands(cold.referenceLoopMs.p50)} ms (${thousands(cold.quietReferenceMs)} ms when the host is quiet); runs scaled to a quiet host: p50 ${seconds(cold.scaledToQuietHostMs.p50)}`,
      ],
      ['Warm re-validation of an edited TS file, syntax+lint+security', 'p95 < 150 ms', warm(warmEditMs.typescript)],
      ['… with types', 'p95 < 400 ms', warm(warmEditMs.typescriptWithTypes)],
      ['Warm re-validation of an edited Python file, syntax+lint+security', 'p95 < 150 ms', warm(warmEditMs.python)],
    ];
    return block(head, table(['What', 'Target', 'Measured'], rows));
  },
};
