// What a verification means for the run: the events the panel shows, each file's verdict, the
// run's status, and the capsule's validation summary and receipt. "Verified" needs a passing
// sandbox run with at least one test and no error finding; anything less says why.
import type { FileState, GenerationStatus } from '../../../protocol/generate';
import type { SandboxReceipt as CapsuleReceipt, CapsuleManifest } from '../../../protocol/capsule';
import type { RunContext } from './runContext';
import { testOutputTail } from './repair';
import type { Transcript } from './transcript';
import type { Verification } from './verify';

const errorsIn = (v: Verification) => v.report.diagnostics.filter((d) => d.severity === 'error');

export function reportVerification(ctx: RunContext, v: Verification, round: number): void {
  const errors = errorsIn(v);
  ctx.emit({
    kind: 'validation',
    round,
    score: v.report.score,
    stages: v.report.stages,
    errors: errors.length,
    warnings: v.report.diagnostics.filter((d) => d.severity === 'warning').length,
    findings: v.report.diagnostics.slice(0, 200).map(({ file, line, severity, source, code, message }) => ({ file, line, severity, source, ...(code ? { code } : {}), message })),
  });
  const run = v.testRun;
  if (run) ctx.emit({ kind: 'tests', round, status: run.status, tests: run.tests, sandbox: run.sandbox, durationMs: run.durationMs, outputTail: (testOutputTail(v, 2000) ?? '').slice(-2000) });
  for (const path of ctx.files.keys()) ctx.emit({ kind: 'file', path, state: fileVerdict(v, path) });
}

export function fileVerdict(v: Verification | undefined, path: string): FileState {
  if (!v) return 'written';
  return errorsIn(v).some((d) => d.file === path) ? 'failed' : 'validated';
}

export function statusOf(v: Verification | undefined, reasons: string[]): GenerationStatus {
  if (!v) return 'unverified';
  const run = v.testRun;
  const verified = !reasons.length && !errorsIn(v).length && run?.status === 'passed' && (run.tests?.passed ?? 0) > 0;
  return verified ? 'verified' : 'unverified';
}

export function unverifiedReasons(v: Verification | undefined): string[] {
  if (!v) return ['the project was not validated'];
  const reasons: string[] = [];
  const errors = errorsIn(v);
  if (errors.length) reasons.push(`${errors.length} error findings remain`);
  const tests = v.report.stages.find((s) => s.stage === 'tests');
  if (!v.testRun) reasons.push(`the tests did not run: ${tests?.reason ?? 'no sandbox'}`);
  else if (v.testRun.status === 'error') reasons.push(`the tests could not run in the ${v.testRun.sandbox} sandbox: ${v.testRun.error ?? 'see its output'}`);
  else if (v.testRun.status !== 'passed') reasons.push(`the tests ${v.testRun.status === 'timeout' ? 'timed out' : 'failed'} in the ${v.testRun.sandbox} sandbox`);
  else if (!(v.testRun.tests?.passed ?? 0)) reasons.push('the sandbox ran no passing test');
  return reasons;
}

export function countFindings(v: Verification): { error: number; warning: number; info: number } {
  const count = (s: string) => v.report.diagnostics.filter((d) => d.severity === s).length;
  return { error: count('error'), warning: count('warning'), info: count('info') };
}

export function receiptOf(v: Verification): CapsuleReceipt {
  const run = v.testRun!;
  return { kind: 'sandbox', sandbox: run.sandbox, command: run.command, status: run.status, exitCode: run.exitCode, startedAt: run.receipt.startedAt, durationMs: run.durationMs };
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
