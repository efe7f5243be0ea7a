// The validation pipeline: ordered stages, each timed and reported as passed, failed or skipped
// (with the reason); a stage whose tool throws fails with an error finding saying so, and the
// others still run.
import { stageIds, type Finding, type StageId, type ValidatedLanguage, type ValidationReport } from '../../../protocol/validate';
import { throwIfAborted } from '../common/cancellation';
import type { Stage, StageContext, StageFinding } from './model';
import { addStage, finishReport, timedOutcome } from './report';
import { selectFiles } from './sourceFiles';
import { lintStage } from './stages/lint';
import { securityStage } from './stages/security';
import { syntaxStage } from './stages/syntax';
import { createTestsStage, type RunTests } from './stages/tests';
import { typesStage } from './stages/types';
import type { Toolbox } from './toolbox';

export interface ValidateInput {
  /** The folder validated; findings' paths are relative to it. */
  root: string;
  stages: readonly StageId[];
  languages?: readonly ValidatedLanguage[];
  /** Absolute paths of the files to report on; without them, every file of the root. */
  only?: string[];
  /** Unsaved editor texts by absolute path. */
  overlays?: ReadonlyMap<string, string>;
  /** Run slow whole-project tools (pyright) too; false while typing. Default true. */
  thorough?: boolean;
  /**
   * The folder is trusted (VS Code's Workspace Trust; the command line is): its own ESLint config
   * and plugins are imported and its tests run. Untrusted, nothing from the folder is executed.
   */
  trusted: boolean;
  /**
   * Run the tests stage although the folder is untrusted: a generated project, whose code is never
   * trusted and only ever runs in the sandbox (its configs are still not imported).
   */
  sandboxUntrustedTests?: boolean;
  maxFileBytes?: number;
}

export interface ValidateDeps {
  tools: Toolbox;
  /** The sandbox's test runner, when there is one. */
  runTests?: RunTests;
}

/** Two tools reporting one defect: the second is dropped when the first is on the same line. */
const sameDefect: Array<{ keep: { source: string; code: string }; drop: { source: string; code: string } }> = [
  { keep: { source: 'ruff', code: 'F821' }, drop: { source: 'pyright', code: 'reportUndefinedVariable' } },
  { keep: { source: 'eslint', code: 'no-undef' }, drop: { source: 'typescript', code: 'TS2304' } },
];

/** `findings` without those that repeat a finding of `earlier` (or of themselves) from another tool. */
function withoutDuplicates(findings: Finding[], earlier: Finding[]): Finding[] {
  const at = (f: Finding) => `${f.file}:${f.line}`;
  const kept = new Set(
    [...earlier, ...findings].flatMap((f) =>
      sameDefect.filter((p) => p.keep.source === f.source && p.keep.code === f.code).map((p) => `${p.drop.source}/${p.drop.code}@${at(f)}`),
    ),
  );
  return findings.filter((f) => !kept.has(`${f.source}/${f.code}@${at(f)}`));
}

function stagesFor(deps: ValidateDeps): Record<StageId, Stage> {
  return { syntax: syntaxStage, lint: lintStage, types: typesStage, security: securityStage, tests: createTestsStage(deps.runTests) };
}

export async function validate(
  input: ValidateInput,
  deps: ValidateDeps,
  signal: AbortSignal,
  progress: (message: string) => void = () => undefined,
): Promise<ValidationReport> {
  const requested = stageIds.filter((id) => input.stages.includes(id));
  const overlays = input.overlays ?? new Map<string, string>();
  progress('Reading files');
  const { files, notices } = await selectFiles({
    root: input.root,
    only: input.only,
    overlays,
    languages: input.languages,
    maxFileBytes: input.maxFileBytes,
    signal,
  });
  const memo = new Map<string, Promise<unknown>>();
  const ctx: StageContext = {
    root: input.root,
    files,
    overlays,
    stages: new Set(requested),
    trusted: input.trusted,
    thorough: input.thorough ?? true,
    tools: deps.tools,
    signal,
    progress,
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as Promise<T>;
    },
  };
  const registry = stagesFor(deps);
  for (const id of requested) registry[id].prefetch?.(ctx);
  // One turn of the event loop lets prefetched work reach its first I/O (pyright's process
  // starts) before the stages' synchronous tool loading holds this thread for a second.
  await new Promise<void>((resolve) => setImmediate(resolve));

  const report: ValidationReport = { diagnostics: [], stages: [], score: 0, unscored: [], files: files.length };
  // A tool that fails leaves its finding on the first file it was to check (an editor's document).
  const crashFile = (files.find((f) => f.language !== 'text') ?? files[0])?.path;
  const reported = new Set(files.map((f) => f.path));
  let pendingNotices: StageFinding[] = notices;
  for (const id of requested) {
    throwIfAborted(signal);
    progress(`Stage ${id}`);
    const { outcome, durationMs } = await timedOutcome(() => registry[id].run(ctx), signal);
    let findings: Finding[] = [];
    if ('findings' in outcome) {
      const extra = pendingNotices;
      pendingNotices = [];
      findings = withoutDuplicates(
        [...outcome.findings, ...extra]
          .filter((f) => (input.only ? reported.has(f.file) || extra.includes(f) : !f.file.startsWith('..')))
          .map((f): Finding => ({ ...f, stage: id })),
        report.diagnostics,
      );
    }
    addStage(report, id, outcome, findings, durationMs, crashFile);
  }
  return finishReport(report);
}
