// Receipts: what ran, on what, with which result, and hashes that tie it to the inputs and logs.
import type {
  Coverage,
  ReceiptPhase,
  SandboxKind,
  SandboxLimits,
  SandboxReceipt,
  StackId,
  TestCase,
  TestCounts,
  TestRunResult,
} from '../../../protocol/sandbox';
import { qlpVersion } from '../common/version';
import { redactSecrets } from './environment';
import type { CapturedOutput } from './output';
import type { Verdict } from './results';
import type { StagedProject } from './stage';
import type { RunOutcome, SandboxEnvironment } from './types';

const record = (o: CapturedOutput) => ({ bytes: o.bytes, sha256: o.sha256, cutBytes: o.cutBytes });

export function phaseRecord(phase: ReceiptPhase['phase'], command: string, network: boolean, outcome: RunOutcome): ReceiptPhase {
  return {
    phase,
    command,
    network,
    exitCode: outcome.exitCode,
    timedOut: outcome.timedOut,
    oomKilled: outcome.oomKilled,
    durationMs: outcome.durationMs,
    stdout: record(outcome.stdout),
    stderr: record(outcome.stderr),
    ...(outcome.report ? { report: { bytes: outcome.report.bytes, sha256: outcome.report.sha256 } } : {}),
  };
}

export interface ReceiptInput {
  staged: StagedProject;
  stack: StackId | null;
  sandbox: SandboxKind;
  environment: SandboxEnvironment;
  limits: SandboxLimits;
  dependencies: SandboxReceipt['dependencies'];
  phases: ReceiptPhase[];
  startedAt: Date;
  /** performance.now() when the run started. */
  started: number;
}

export interface ResultInput {
  receipt: ReceiptInput;
  /** How the last phase that ran ended. */
  outcome: RunOutcome;
  command: string;
  verdict: Verdict;
  tests?: TestCounts | null;
  cases?: TestCase[] | null;
  coverage?: Coverage | null;
  /** Values scrubbed from the output. */
  secrets: readonly string[];
}

/** The run's result, with its receipt. */
export function buildResult(input: ResultInput): TestRunResult {
  const { receipt: r, outcome, verdict } = input;
  const tests = input.tests ?? null;
  const cases = input.cases?.map((c) => (c.message ? { ...c, message: redactSecrets(c.message, input.secrets) } : c)) ?? null;
  const coverage = input.coverage ?? null;
  const receipt: SandboxReceipt = {
    receiptVersion: 1,
    inputHash: r.staged.inputHash,
    files: r.staged.files,
    stack: r.stack,
    sandbox: r.sandbox,
    environment: { image: r.environment.image, ...(r.environment.imageId ? { imageId: r.environment.imageId } : {}), runtime: r.environment.runtime },
    limits: r.limits,
    dependencies: r.dependencies,
    phases: r.phases,
    status: verdict.status,
    tests,
    cases,
    coverage,
    startedAt: r.startedAt.toISOString(),
    durationMs: Math.round(performance.now() - r.started),
    qlpVersion,
  };
  return {
    status: verdict.status,
    exitCode: outcome.exitCode,
    durationMs: receipt.durationMs,
    sandbox: r.sandbox,
    command: input.command,
    timedOut: outcome.timedOut,
    oomKilled: outcome.oomKilled,
    tests,
    // The CLI contract's fields come first, in its order; what came later follows.
    stdout: redactSecrets(outcome.stdout.text, input.secrets),
    stderr: redactSecrets(outcome.stderr.text, input.secrets),
    cases,
    coverage,
    ...(verdict.error ? { error: verdict.error } : {}),
    receipt,
  };
}
