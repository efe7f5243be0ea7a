// Sandboxed test runs: what they report and the receipt that backs "tests passed" with evidence.
// The receipt is a standalone JSON document: capsules store it next to the files it describes.

export const sandboxKinds = ['docker', 'bwrap'] as const;
export type SandboxKind = (typeof sandboxKinds)[number];
export const sandboxModes = ['auto', ...sandboxKinds] as const;
export type SandboxMode = (typeof sandboxModes)[number];

/** The stacks QLP knows how to test; each has a profile (image, install and test commands). */
export const stackIds = ['node', 'python'] as const;
export type StackId = (typeof stackIds)[number];

/** Contract statuses of `qlp test`: `error` means the tests could not run (or were cancelled). */
export type TestRunStatus = 'passed' | 'failed' | 'timeout' | 'error';

export interface SandboxLimits {
  /** CPU cores (fractions allowed). */
  cpus: number;
  /** Memory in MiB; swap is not added on top. */
  memoryMb: number;
  /** Most processes and threads at once. */
  pids: number;
  /** Wall-clock limit of one phase, in seconds. */
  timeoutSeconds: number;
  /** Size of the writable work folder and of /tmp, each, in MiB. */
  diskMb: number;
  /** Bytes of each output stream kept: half from the start, half from the end. */
  outputBytes: number;
}

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface Coverage {
  /** Line coverage of all measured files, in percent. */
  linesPct: number;
  branchesPct?: number;
  functionsPct?: number;
  /** The tool that measured it. */
  tool: 'node' | 'c8' | 'coverage.py';
}

/** One output stream as kept: the head and the tail when it was too long, and what was cut. */
export interface OutputRecord {
  /** Everything the process wrote, in bytes. */
  bytes: number;
  /** sha256 of everything the process wrote (including any part cut from `text`). */
  sha256: string;
  /** Bytes left out of the middle of `text` (0 when complete). */
  cutBytes: number;
}

export interface ReceiptFile {
  /** Relative to the project, `/`-separated. */
  path: string;
  /** sha256 of the content, or of the link target for a symbolic link. */
  sha256: string;
  size: number;
  /** `file`, `exec` (executable file) or `link`. */
  kind: 'file' | 'exec' | 'link';
}

/** One phase as it ran: install (dependencies) or test. */
export interface ReceiptPhase {
  phase: 'install' | 'test';
  command: string;
  network: boolean;
  exitCode: number | null;
  timedOut: boolean;
  oomKilled: boolean;
  durationMs: number;
  stdout: OutputRecord;
  stderr: OutputRecord;
}

/**
 * Evidence of one sandboxed test run. `inputHash` depends only on the project's files (paths,
 * contents, executable bits, link targets), so the same inputs always give the same hash.
 */
export interface SandboxReceipt {
  receiptVersion: 1;
  /** sha256 over the sorted file list below. */
  inputHash: string;
  files: ReceiptFile[];
  stack: StackId | null;
  sandbox: SandboxKind;
  /** The image (Docker) or root (bubblewrap) the run used, with its content id when known. */
  environment: { image: string; imageId?: string; runtime: string };
  limits: SandboxLimits;
  /**
   * Where the tests' dependencies came from: installed by this run's install phase, a cache entry
   * an earlier install made (same key), or the project's own installed folder; null when none.
   */
  dependencies: { from: 'install' | 'cache' | 'project'; key?: string } | null;
  phases: ReceiptPhase[];
  status: TestRunStatus;
  tests: TestCounts | null;
  coverage: Coverage | null;
  startedAt: string;
  durationMs: number;
  qlpVersion: string;
}

/** The result of `qlp test` and of the `qlp/sandbox/run` request (the CLI contract's fields first). */
export interface TestRunResult {
  status: TestRunStatus;
  exitCode: number | null;
  durationMs: number;
  sandbox: SandboxKind;
  command: string;
  timedOut: boolean;
  oomKilled: boolean;
  tests: TestCounts | null;
  stdout: string;
  stderr: string;
  coverage: Coverage | null;
  /** Why the run is `error`, in one sentence. */
  error?: string;
  receipt: SandboxReceipt;
}

/** A line of progress from a sandboxed run: a phase starting, or output as it arrives. */
export type SandboxProgress =
  | { kind: 'phase'; phase: 'prepare' | 'install' | 'test'; message: string }
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string };
