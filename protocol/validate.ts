// Validation results shared by the engine, the command line (`qlp validate --format json`, see
// the CLI contract) and the extension. Lines and columns are 1-based; columns count UTF-16 units.
import type { TestRunResult } from './sandbox';

export const stageIds = ['syntax', 'lint', 'types', 'security', 'tests'] as const;
export type StageId = (typeof stageIds)[number];

/** The stages the editor and `qlp validate` run when none are named. */
export const defaultStages: readonly StageId[] = ['syntax', 'lint', 'types', 'security', 'tests'];

export const validatedLanguages = ['typescript', 'javascript', 'python', 'json', 'yaml', 'toml', 'dockerfile'] as const;
export type ValidatedLanguage = (typeof validatedLanguages)[number];

export type FindingSeverity = 'error' | 'warning' | 'info';
export type StageStatus = 'passed' | 'failed' | 'skipped';

/** A span of text: 1-based lines and columns, the end exclusive. */
export interface TextSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Replace `span` with `newText`. */
export interface TextEditSpec extends TextSpan {
  newText: string;
}

/** A tool's own fix for a finding (ESLint and Ruff autofixes). */
export interface FindingFix {
  title: string;
  edits: TextEditSpec[];
}

export interface Finding extends TextSpan {
  /** Relative to the validated folder, with `/` separators. */
  file: string;
  severity: FindingSeverity;
  stage: StageId;
  /** The tool's rule or error code, e.g. `TS2322`, `no-undef`, `F401`. */
  code?: string;
  /** The tool that reported it, e.g. `typescript`, `eslint`, `ruff`, `pyright`, `secretlint`. */
  source: string;
  message: string;
  fix?: FindingFix;
}

export interface StageReport {
  stage: StageId;
  status: StageStatus;
  durationMs: number;
  /** Why a stage was skipped. */
  reason?: string;
}

/**
 * A requested stage the score does not cover, and why: it was skipped (no file of its languages,
 * no sandbox, no tests, an untrusted workspace) or its tool crashed.
 */
export interface UnscoredStage {
  stage: StageId;
  reason: string;
  /** True when the stage had no file of its languages: nothing was left unchecked. */
  nothingToCheck?: true;
}

/** "2 errors, 1 warnings, 0 notes": the counts by severity as the Problems panel groups them, in both summaries. */
/** `1 error`, `2 errors`, `0 notes`. */
export const counted = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function findingCounts(counts: { errors: number; warnings: number; infos: number }): string {
  return `${counted(counts.errors, 'error')}, ${counted(counts.warnings, 'warning')}, ${counted(counts.infos, 'note')}`;
}

/**
 * " — types and tests not checked" when a score leaves requested stages out, nothing when it covers
 * them all: how the command line's summary and the editor's say what a score does not cover.
 */
export function notCheckedNote(unscored: readonly Pick<UnscoredStage, 'stage'>[]): string {
  const stages = [...new Set(unscored.map((u) => u.stage))].sort((a, b) => stageIds.indexOf(a) - stageIds.indexOf(b));
  if (!stages.length) return '';
  const named = stages.length === 1 ? stages[0] : `${stages.slice(0, -1).join(', ')} and ${stages.at(-1)}`;
  return ` — ${named} not checked`;
}

/** The code of the error finding a tool that crashed leaves on the run (the command line exits 3). */
export const toolFailedCode = 'tool-failed';

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface ValidationReport {
  diagnostics: Finding[];
  stages: StageReport[];
  /** 0–100, from measured facts only (docs/validation.md). */
  score: number;
  /** The requested stages the score does not cover, in stage order; empty when it covers them all. */
  unscored: UnscoredStage[];
  /** Present when the tests stage ran. */
  tests?: TestCounts;
  /** Line coverage 0–1, present only when measured. */
  coverage?: number;
  /** How many files were looked at. */
  files: number;
  /** The tests stage's sandbox run (its output and receipt), when the tests ran. */
  testRun?: TestRunResult;
}
