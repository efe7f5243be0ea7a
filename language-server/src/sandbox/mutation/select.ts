// Which mutants to run, when there are more than the budget allows: spread across the files
// (round robin), within a file across the kinds of change (round robin), and within a kind
// across the file (an order drawn from a hash of each mutant, so the same code always gives the
// same choice).
import { createHash } from 'node:crypto';
import { mutationOperators } from '../../../../protocol/sandbox';
import type { Mutant, MutantCandidate } from './types';

const rank = (c: MutantCandidate) => createHash('sha1').update(`${c.file}\0${c.start}\0${c.end}\0${c.replacement}`).digest('hex');

/** Interleaves lists: the first of each, then the second of each, … */
function roundRobin<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

/** At most `max` mutants, numbered in the order they will run. */
export function selectMutants(candidates: readonly MutantCandidate[], max: number): Mutant[] {
  const files = [...new Set(candidates.map((c) => c.file))].sort();
  const perFile = files.map((file) => {
    const mine = candidates.filter((c) => c.file === file);
    const byOperator = mutationOperators.map((op) =>
      mine
        .filter((c) => c.operator === op)
        .map((c) => ({ c, key: rank(c) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((x) => x.c),
    );
    return roundRobin(byOperator);
  });
  return roundRobin(perFile)
    .slice(0, Math.max(0, max))
    .map((c, id) => ({ ...c, id }));
}
