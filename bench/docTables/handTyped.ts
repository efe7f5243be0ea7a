// Figures typed into a doc by hand, found cheaply: outside the generated tables, a number with a
// unit of time, size or rate on a line that says it was measured (or any such number at all in
// docs/performance.md, whose figures all come from bench/results/), and search-quality scores.
// A line naming a test that asserts a bound is not counted.
import { linesOutsideBlocks } from './markers';

const figure = /\d[\d,]*(?:\.\d+)?\s?(?:µs|ms|s|KB|KiB|MB|MiB|GB|requests\/s|req\/s|chunks\/s|tokens\/s)(?![\w@/])/;
const measuredWords = /\b(?:measured|took|median|p50|p90|p95|p99|last run|earlier runs?|by hand|answered|n=\d+)\b/i;
/** A bound a test asserts ("asserts p90 < 50 ms") is not a measurement typed by hand. */
const testedBound = /\b(?:tested|asserts?)\b/i;
const qualityScore = /\b(?:MRR(?:@\d+)?|hit@\d+)\b[^|\n]*?\b0\.\d{2,}|\|\s*0\.\d{3}\s*\|/;

/** Docs in which every figure with a unit must sit in a generated table. */
export const strictDocs = new Set(['docs/performance.md']);

export interface HandTyped {
  line: number;
  text: string;
}

export function handTypedFigures(doc: string, text: string): HandTyped[] {
  const strict = strictDocs.has(doc);
  return linesOutsideBlocks(text).filter(({ text: line }) => {
    if (qualityScore.test(line)) return true;
    if (!figure.test(line)) return false;
    return strict || (measuredWords.test(line) && !testedBound.test(line));
  });
}
