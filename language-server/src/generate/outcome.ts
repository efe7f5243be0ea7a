// What a verification means for the run: the events the panel shows, each file's verdict and the
// run's status. "Verified" needs a passing sandbox run whose machine-readable results show every
// frozen test ran and asserted something, no error finding, and tests that catch enough mutants.
import type { FileState, GenerationStatus, MutationSummary } from '../../../protocol/generate';
import type { CapsuleManifest } from '../../../protocol/capsule';
import type { RunContext } from './runContext';
import { testOutputTail } from './repair';
import type { TestEvidence } from './testEvidence';
import type { Transcript } from './transcript';
import type { Verification } from './verify';

const errorsIn = (v: Verification) => v.report.diagnostics.filter((d) => d.severity === 'error');

export function reportVerification(ctx: RunContext, v: Verification, round: number, evidence: TestEvidence | undefined, blamed: ReadonlySet<string>): void {
  const errors = errorsIn(v);
  ctx.emit({
    kind: 'validation',
    round,
    score: v.report.score,
    stages: v.report.stages,
    errors: errors.length,
    warnings: v.report.diagnostics.filter((d) => d.severity === 'warning').length,
    findings: v.report.diagnostics
      .slice(0, 200)
      .map(({ file, line, severity, source, code, message }) => ({ file, line, severity, source, ...(code ? { code } : {}), message })),
  });
  const run = v.testRun;
  if (run) {
    ctx.emit({
      kind: 'tests',
      round,
      status: run.status,
      tests: run.tests,
      sandbox: run.sandbox,
      durationMs: run.durationMs,
      outputTail: (testOutputTail(v, 2000) ?? '').slice(-2000),
      failing: evidence?.failing.slice(0, 20) ?? [],
      problems: evidence?.problems ?? [],
    });
  }
  for (const path of ctx.files.keys()) ctx.emit({ kind: 'file', path, ...fileVerdict(ctx, v, path, blamed) });
}

/**
 * A file's verdict from its own findings and the tests: code that failing tests reach is failed,
 * a test file is failed only for its own findings or for asserting nothing (the tests are the
 * contract, so a failing test blames the code).
 */
export function fileVerdict(ctx: RunContext, v: Verification | undefined, path: string, blamed: ReadonlySet<string>): { state: FileState; message?: string } {
  if (!v) return { state: 'written' };
  const own = errorsIn(v).filter((d) => d.file === path && d.stage !== 'tests');
  if (own.length) return { state: 'failed', message: `${own.length} error finding${own.length === 1 ? '' : 's'}` };
  const frozen = ctx.contract?.tests.get(path);
  const empty = frozen?.tests.filter((t) => t.assertions === 0 && !t.marked) ?? [];
  if (empty.length) return { state: 'failed', message: `${empty.map((t) => t.name).join(', ')} assert${empty.length === 1 ? 's' : ''} nothing` };
  if (blamed.has(path)) return { state: 'failed', message: 'failing tests reach this code' };
  const run = v.testRun;
  if (frozen && run && run.status !== 'passed') {
    const failing = (run.cases ?? []).filter((c) => (c.status === 'failed' || c.status === 'error') && caseFile(c) === path);
    if (failing.length) return { state: 'written', message: `${failing.length} test${failing.length === 1 ? '' : 's'} fail against the code` };
  }
  return { state: 'validated' };
}

/** The test file a case came from: its file attribute, or pytest's dotted class name as a path. */
export function caseFile(c: { file?: string | null; classname?: string }): string | undefined {
  if (c.file) return c.file.replace(/^\.\//, '');
  if (!c.classname) return undefined;
  const parts = c.classname.split('.');
  // `tests.test_api` or `tests.test_api.TestThing`
  const module = /^[A-Z]/.test(parts[parts.length - 1]!) ? parts.slice(0, -1) : parts;
  return `${module.join('/')}.py`;
}

/** Whether the run can be called verified before its mutation check. */
export function passesChecks(v: Verification | undefined, reasons: readonly string[], evidence: TestEvidence | undefined): boolean {
  const run = v?.testRun;
  return Boolean(
    v && !reasons.length && !errorsIn(v).length && run?.status === 'passed' && (run.tests?.passed ?? 0) > 0 && evidence && !evidence.problems.length,
  );
}

export function statusOf(
  v: Verification | undefined,
  reasons: readonly string[],
  evidence: TestEvidence | undefined,
  mutation: MutationSummary | null,
): GenerationStatus {
  const strong = mutation !== null && mutation.mutants > 0 && mutation.score >= mutation.minScore;
  return passesChecks(v, reasons, evidence) && strong ? 'verified' : 'unverified';
}

export function unverifiedReasons(v: Verification | undefined, evidence: TestEvidence | undefined, mutation: MutationSummary | null): string[] {
  if (!v) return ['the project was not validated'];
  const reasons: string[] = [];
  const errors = errorsIn(v);
  if (errors.length) reasons.push(`${errors.length} error findings remain, first ${errors[0]!.file}:${errors[0]!.line} ${errors[0]!.message}`);
  const tests = v.report.stages.find((s) => s.stage === 'tests');
  const run = v.testRun;
  if (!run) reasons.push(`the tests did not run: ${tests?.reason ?? 'no sandbox'}`);
  else if (run.status === 'error') reasons.push(`the tests could not run in the ${run.sandbox} sandbox: ${run.error ?? 'see its output'}`);
  else if (run.status !== 'passed') {
    const failing = evidence?.failing ?? [];
    const named = failing.length ? `: ${failing.slice(0, 3).join('; ')}${failing.length > 3 ? `; and ${failing.length - 3} more` : ''}` : '';
    reasons.push(`the tests ${run.status === 'timeout' ? 'timed out' : 'failed'} in the ${run.sandbox} sandbox${named}`);
  } else if (!(run.tests?.passed ?? 0)) reasons.push('the sandbox ran no passing test');
  reasons.push(...(evidence?.problems ?? []));
  if (mutation && !reasons.length) {
    if (!mutation.files.length) reasons.push("the tests import none of the project's code, so they cannot show it works");
    else if (mutation.mutants <= 0)
      reasons.push(
        `no mutant of ${mutation.files.join(', ')} could be tried${mutation.error ? ` (${mutation.error})` : ''}, so the strength of the tests is unmeasured`,
      );
    else if (mutation.score < mutation.minScore) {
      const first = mutation.survivors[0];
      reasons.push(
        `the tests caught ${mutation.killed} of ${mutation.mutants} mutants (${Math.round(mutation.score * 100)} %, verified needs ${Math.round(mutation.minScore * 100)} %)${first ? `; not caught: ${first}` : ''}`,
      );
    }
  }
  return reasons;
}

export function countFindings(v: Verification): { error: number; warning: number; info: number } {
  const count = (s: string) => v.report.diagnostics.filter((d) => d.severity === s).length;
  return { error: count('error'), warning: count('warning'), info: count('info') };
}

export function modelsOf(transcript: Transcript): CapsuleManifest['models'] {
  const byModel = new Map<string, CapsuleManifest['models'][number]>();
  for (const t of transcript.turns) {
    const key = `${t.tier}/${t.provider}/${t.model}`;
    const m = byModel.get(key) ?? { provider: t.provider, model: t.model, tier: t.tier, calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    m.calls++;
    m.inputTokens += t.inputTokens;
    m.outputTokens += t.outputTokens;
    m.costUsd += t.costUsd;
    byModel.set(key, m);
  }
  return [...byModel.values()];
}
