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
  | { kind: 'tests'; round: number; status: string; tests: TestCounts | null; sandbox: string; durationMs: number; outputTail: string }
  | { kind: 'usage'; usage: GenerationUsage }
  | { kind: 'notice'; message: string };

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
