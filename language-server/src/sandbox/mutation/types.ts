// A mutant as the drivers apply it: a text edit of one file, with what the change looks like.
import type { MutationOperator } from '../../../../protocol/sandbox';

export interface MutantCandidate {
  /** Relative to the project, `/`-separated. */
  file: string;
  /** Offsets of the edit in the file's text, as the driver that applies it counts them. */
  start: number;
  end: number;
  replacement: string;
  /** The text the edit replaces, checked before it is applied. */
  expected: string;
  /** 1-based. */
  line: number;
  operator: MutationOperator;
  /** The changed line before and after (trimmed, at most 160 characters each). */
  original: string;
  mutated: string;
}

export interface Mutant extends MutantCandidate {
  id: number;
}

/** What a driver said about one mutant. */
export interface MutantResult {
  id: number;
  status: 'killed' | 'survived' | 'timedOut' | 'error';
  ms?: number;
  detail?: string;
}
