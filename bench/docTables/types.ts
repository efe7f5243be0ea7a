// What a table renderer gets: the results a bench wrote, by file name (bench/results/<name>.json).
import type { Results } from '../results';

export type Read = <F>(name: string) => Results<F> | undefined;

export interface DocTable {
  /** The marker's id: `<!-- table:<id> -->`. */
  id: string;
  /** The doc, relative to the repository root. */
  doc: string;
  render(read: Read): string;
}

export type { Spread } from '../results';
