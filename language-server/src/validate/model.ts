// The engine's view of a validation run: the files, the stages, what a stage returns.
import type { TestRunResult as SandboxRun } from '../../../protocol/sandbox';
import type { Finding, StageId, TestCounts, ValidatedLanguage } from '../../../protocol/validate';
import type { Toolbox } from './toolbox';

export type FileLanguage = ValidatedLanguage | 'text';

/** A file to validate: its text from disk or from an open editor. */
export interface SourceFile {
  /** Relative to the root, `/` separators. */
  path: string;
  /** Absolute path on disk. */
  absPath: string;
  text: string;
  language: FileLanguage;
}

/** A finding as a stage produces it: the stage is filled in by the pipeline. */
export type StageFinding = Omit<Finding, 'stage'> & { stage?: StageId };

export type StageOutcome =
  | {
      findings: StageFinding[];
      tests?: TestCounts;
      coverage?: number;
      /** A tool of the stage that could not run while the others did: said in the stage's reason. */
      note?: string;
      /** The tests stage's sandbox run: its output and receipt. */
      testRun?: SandboxRun;
    }
  | { skipped: string; testRun?: SandboxRun; nothingToCheck?: true }
  /** The stage's tool threw: the run gets an error finding and the score says the stage is not covered. */
  | { crashed: string; tool: string };

export interface StageContext {
  root: string;
  /** The files to report on (all of the root's files in a workspace run). */
  files: SourceFile[];
  /** Editor texts that differ from disk, by absolute path (for type checking across files). */
  overlays: ReadonlyMap<string, string>;
  /** Which stages this run includes, so tools shared by stages run once with every rule needed. */
  stages: ReadonlySet<StageId>;
  /** The folder is trusted: its own ESLint config and plugins may load, its Python version pins apply. */
  trusted: boolean;
  /** Whether slow whole-project tools (pyright) should run: not on every keystroke. */
  thorough: boolean;
  tools: Toolbox;
  signal: AbortSignal;
  progress(message: string): void;
  /** Results shared between stages of one run (one ESLint pass serves lint and security). */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export interface Stage {
  id: StageId;
  /** Starts slow out-of-process work early, so it overlaps the stages before this one. */
  prefetch?(ctx: StageContext): void;
  run(ctx: StageContext): Promise<StageOutcome>;
}

/** Thrown by a tool that cannot run at all (pyright that cannot start): a crash of its stage. */
export class ToolUnavailableError extends Error {}

/** A tool that threw while checking, named for the error finding its stage leaves on the run. */
export class ToolFailedError extends Error {
  constructor(
    readonly tool: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Runs `work`, naming `tool` in what it throws (cancellation passes through unchanged). */
export async function asTool<T>(tool: string, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (signal.aborted || err instanceof ToolFailedError) throw err;
    throw new ToolFailedError(tool, err);
  }
}
