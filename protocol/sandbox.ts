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

/**
 * How many tests ran and how they ended. `passed`, `failed` and `skipped` keep their first
 * meaning (xpassed counts as passed, errors as failed, xfailed and todo as skipped); the other
 * fields break them down.
 */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Every test the runner found, including those it skipped or deselected. */
  collected: number;
  /** Of `failed`: tests that broke outside their assertions (a fixture, a hook, a file that does not load). */
  errors: number;
  /** Of `skipped`: tests marked as expected to fail that did fail. */
  xfailed: number;
  /** Of `passed`: tests marked as expected to fail that passed. */
  xpassed: number;
  /** Tests the runner found but was told not to run (pytest `-k`, `-m`); not in the other counts. */
  deselected: number;
  /** `junit`: from the runner's machine-readable report; `summary`: from its closing text. */
  source: 'junit' | 'summary';
}

export const testCaseStatuses = ['passed', 'failed', 'error', 'skipped', 'xfailed', 'xpassed', 'deselected'] as const;
export type TestCaseStatus = (typeof testCaseStatuses)[number];

/** One test as the runner reported it. */
export interface TestCase {
  /** The test's file, relative to the project and `/`-separated; null when the runner did not say. */
  file: string | null;
  name: string;
  /** The runner's grouping: pytest's module and class, unittest's class, node:test's suites. */
  classname?: string;
  /** 1-based line of the test, when known. */
  line?: number;
  status: TestCaseStatus;
  /** For failures, errors and skips: the first lines of the runner's message. */
  message?: string;
  durationMs?: number;
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
  /** The runner's machine-readable results as they came out of the sandbox, apart from stdout. */
  report?: { bytes: number; sha256: string };
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
  /**
   * Every test and how it ended, from the runner's machine-readable results; null without them
   * (absent from receipts written before QLP read them).
   */
  cases?: TestCase[] | null;
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
  /** Every test and how it ended, from the runner's machine-readable results; null without them. */
  cases: TestCase[] | null;
  coverage: Coverage | null;
  /** Why the run is `error`, in one sentence. */
  error?: string;
  receipt: SandboxReceipt;
}

/** The kinds of change mutation testing makes to the code. */
export const mutationOperators = ['comparison', 'boundary', 'arithmetic', 'boolean', 'negation', 'constant', 'return', 'statement'] as const;
export type MutationOperator = (typeof mutationOperators)[number];

/** A mutant the tests did not notice: the code was changed there and every test still passed. */
export interface SurvivingMutant {
  /** Relative to the project, `/`-separated. */
  file: string;
  /** 1-based. */
  line: number;
  operator: MutationOperator;
  /** The code as it was and as the mutant had it (at most a line each). */
  original: string;
  mutated: string;
}

/**
 * How well a project's tests notice changes to its code: small changes (mutants) are made one at
 * a time, in the sandbox, and the tests run against each. A mutant is killed when a test fails,
 * survives when every test passes.
 */
export interface MutationReport {
  /** Mutants chosen (at most `maxMutants`). */
  mutants: number;
  killed: number;
  survived: number;
  /** Stopped at their time limit (an endless loop, say): counted as killed in the score. */
  timedOut: number;
  /** Could not be tried: the change did not apply, a code file does not parse, the tests could not start. */
  errors: number;
  /** Left when the time budget ran out. */
  notRun: number;
  /** (killed + timedOut) / (killed + timedOut + survived), 0..1; 0 when none ran. */
  score: number;
  durationMs: number;
  survivors: SurvivingMutant[];
  /** What made and ran the mutants, e.g. `qlp-mutate (python ast, pytest)`. */
  tool: string;
  /** Why nothing could be measured, in one sentence (the tests fail unchanged, nothing to mutate, …). */
  error?: string;
  /** Things that made the measure partial, one sentence each (a code file that does not parse, …). */
  problems: string[];
}

/** Progress of a mutation run: mutants done out of those chosen. */
export interface MutationProgress {
  done: number;
  total: number;
  message: string;
}

/** A line of progress from a sandboxed run: a phase starting, or output as it arrives. */
export type SandboxProgress =
  | { kind: 'phase'; phase: 'prepare' | 'install' | 'test'; message: string }
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string };
