// Counts tokens when a provider reports none (some local servers, a call cancelled or cut before
// its usage arrived), with the o200k tokenizer; for other model families it is an estimate, and
// the ledger says so.
import type { Tiktoken } from 'js-tiktoken/lite' with { 'resolution-mode': 'import' };

let encoder: Promise<Tiktoken> | undefined;

function load(): Promise<Tiktoken> {
  // Loaded on first use: the rank table is large and most providers report usage.
  encoder ??= Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/o200k_base')]).then(([{ Tiktoken }, ranks]) => new Tiktoken(ranks.default));
  return encoder;
}

/**
 * The tokenizer's merging takes time quadratic in the length of a run without whitespace (a
 * 16,000-character run took 12 s), and a model can stream such a run. Runs are cut into pieces of
 * this length and counted apart, which adds at most a token per cut.
 */
const longestRun = 32;
const longRun = new RegExp(`\\S{${longestRun}}`, 'g');
/** A long text is counted in slices with a turn of the event loop between them (a server keeps answering). */
const sliceChars = 64 * 1024;

export async function countTokens(text: string): Promise<number> {
  if (!text) return 0;
  const tokenizer = await load();
  let count = 0;
  let start = 0;
  let sinceYield = 0;
  for (const match of text.matchAll(longRun)) {
    const end = match.index + longestRun;
    count += tokenizer.encode(text.slice(start, end)).length;
    sinceYield += end - start;
    start = end;
    if (sinceYield >= sliceChars) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return count + (start < text.length ? tokenizer.encode(text.slice(start)).length : 0);
}
