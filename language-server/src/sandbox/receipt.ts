// Receipts: what ran, on what, with which result, and hashes that tie it to the inputs and logs.
import type { Coverage, ReceiptPhase, SandboxKind, SandboxLimits, SandboxReceipt, StackId, TestCounts, TestRunStatus } from '../../../protocol/sandbox';
import { qlpVersion } from '../version';
import type { CapturedOutput } from './output';
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
  status: TestRunStatus;
  tests: TestCounts | null;
  coverage: Coverage | null;
  startedAt: Date;
  durationMs: number;
}

export function buildReceipt(input: ReceiptInput): SandboxReceipt {
  return {
    receiptVersion: 1,
    inputHash: input.staged.inputHash,
    files: input.staged.files,
    stack: input.stack,
    sandbox: input.sandbox,
    environment: { image: input.environment.image, ...(input.environment.imageId ? { imageId: input.environment.imageId } : {}), runtime: input.environment.runtime },
    limits: input.limits,
    dependencies: input.dependencies,
    phases: input.phases,
    status: input.status,
    tests: input.tests,
    coverage: input.coverage,
    startedAt: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    qlpVersion,
  };
}
