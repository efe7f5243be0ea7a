// Project generation as the extension, the panel and the command line see it: the plan, the
// events a run streams, and its outcome. The engine is in language-server/src/generate/.
import type { Tier } from './llm';
import type { FindingSeverity, StageReport, TestCounts } from './validate';

export const fileKinds = ['code', 'test', 'doc', 'config'] as const;
export type FileKind = (typeof fileKinds)[number];

/** A file's kind from its path, when the model or the user gave none (the planner and the panel agree). */
export function kindOfPath(path: string): FileKind {
  const name = path.split('/').pop()!.toLowerCase();
  if (/(^|\/)(tests?|__tests__|spec)\//i.test(path) || /(\.|_)(test|spec)\.[a-z]+$/.test(name) || /^test_.*\.py$/.test(name)) return 'test';
  if (/\.(md|rst|txt)$/.test(name) && !/requirements.*\.txt$/.test(name)) return 'doc';
  if (/\.(py|ts|tsx|js|jsx|mjs|cjs|go|rs|java|cs|rb|php|sh)$/.test(name)) return 'code';
  return 'config';
}

export interface PlannedFile {
  /** Relative to the target folder, with `/` separators. */
  path: string;
  purpose: string;
  kind: FileKind;
}

export interface ProjectPlan {
  /** A stack profile id (see `qlp generate --stack`). */
  stack: string;
  summary: string;
  files: PlannedFile[];
  dependencies: { runtime: string[]; dev: string[] };
  commands: { install: string; test: string; run: string };
}

export type FileState = 'pending' | 'writing' | 'written' | 'validated' | 'failed';

/** `verified` only with a passing sandbox receipt; otherwise `unverified` with the reasons. */
export type GenerationStatus = 'verified' | 'unverified' | 'cancelled' | 'failed';

export interface GenerationUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** The per-generation budget (0: none). */
  budgetUsd: number;
  /** A replay's recorded cost: what the original run spent (the replay itself spends nothing). */
  recordedCostUsd?: number;
}

export interface FindingSummary {
  file: string;
  line: number;
  severity: FindingSeverity;
  source: string;
  code?: string;
  message: string;
}

/** One thing that happened in a run, in order; the panel and the CLI's stderr render them. */
export type GenerationEvent =
  | { kind: 'phase'; phase: 'plan' | 'approve' | 'write' | 'verify' | 'repair' | 'commit'; message: string }
  | { kind: 'plan'; plan: ProjectPlan; tier: Tier; model: string }
  | { kind: 'file'; path: string; state: FileState; tier?: Tier; model?: string; bytes?: number; message?: string }
  | { kind: 'text'; path: string | null; delta: string }
  | { kind: 'validation'; round: number; score: number; stages: StageReport[]; errors: number; warnings: number; findings: FindingSummary[] }
  | {
      kind: 'tests';
      round: number;
      status: string;
      tests: TestCounts | null;
      sandbox: string;
      durationMs: number;
      outputTail: string;
      /** Failing tests as `file::name: first line of the failure`. */
      failing?: string[];
      /** Why a passing run still cannot back "verified" (skipped, deselected, assert-nothing tests). */
      problems?: string[];
    }
  | { kind: 'mutation'; mutation: MutationSummary }
  | { kind: 'usage'; usage: GenerationUsage }
  | { kind: 'notice'; message: string };

/** How strong the tests proved: small deliberate bugs (mutants) in the code under test, and how many the tests caught. */
export interface MutationSummary {
  /** Caught over tried, 0–1. */
  score: number;
  /** Mutants tried: caught plus survived. */
  mutants: number;
  /** Caught: a test failed, or the run hung and was stopped. */
  killed: number;
  survived: number;
  /** Mutants chosen but not tried (the time box ran out, or the change could not be applied). */
  notRun: number;
  /** Why nothing could be measured, when nothing could. */
  error?: string;
  /** The score a verified run needs. */
  minScore: number;
  files: string[];
  durationMs: number;
  /** Mutants the tests did not catch, as `file:line operator (original → mutated)`. */
  survivors: string[];
}

/** The one sentence that says what a mutation score means. */
export function mutationSentence(m: MutationSummary): string {
  const pct = (n: number) => `${Math.round(n * 100)} %`;
  if (!m.files.length) return "The tests import none of the project's code, so their strength cannot be measured.";
  if (!m.mutants) return `No mutant of ${m.files.join(', ')} could be tried${m.error ? ` (${m.error})` : ''}, so the strength of the tests is unmeasured.`;
  return `Mutation score ${pct(m.score)}: the tests caught ${m.killed} of ${m.mutants} small deliberate bugs put into ${m.files.length === 1 ? m.files[0] : `${m.files.length} files`}${m.notRun ? ` (${m.notRun} more left untried)` : ''}; verified needs ${pct(m.minScore)}.`;
}

/** A change to a frozen test, allowed because it stated why and kept every test and assertion. */
export interface TestAmendment {
  path: string;
  reason: string;
  round: number;
}

export interface GenerateParams {
  requirements: string;
  /** Absolute path of the target folder. */
  folder: string;
  /** A stack profile id; without one it is detected from the requirements. */
  stack?: string;
  tier?: Tier;
  /** The folder exists and is not empty, and the user agreed to generate into it. */
  allowExisting?: boolean;
  /** Run the tests in the sandbox (default true). */
  tests?: boolean;
  /** Ask the client to approve (and maybe edit) the plan before files are written. */
  approvePlan?: boolean;
  /** Per-generation budget in USD, overriding the setting (0: none). */
  budgetUsd?: number;
  /**
   * `sample`: replay the recorded sample generation that ships with QLP instead of calling a model
   * (its requirements and stack are the recording's; no plan approval).
   */
  replay?: 'sample';
}

export interface GenerationResult {
  generationId: string;
  status: GenerationStatus;
  /** Why it is not verified (empty when verified). */
  reasons: string[];
  folder: string;
  stack: string;
  files: string[];
  rounds: number;
  tiers: Tier[];
  usage: GenerationUsage;
  score: number | null;
  tests: TestCounts | null;
  /** Failing tests of the last round as `file::name: first line of the failure`. */
  failingTests: string[];
  /** The mutation check of the code under test; null when it did not run. */
  mutation: MutationSummary | null;
  amendments: TestAmendment[];
  capsule: { id: string; version: number } | null;
  durationMs: number;
}

export interface StackSummary {
  id: string;
  label: string;
  description: string;
}

/** The editor command behind the "Ask QLP to fix" quick fix (the server names it in code actions). */
export const askToFixCommand = 'qlp.askToFix';
