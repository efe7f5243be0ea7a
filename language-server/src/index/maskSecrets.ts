// Likely secrets (secrets/likelySecrets.ts: secretlint's preset and QLP's rules) are masked in a
// file's text before it is chunked, so the index never stores one: no snippet in the Search view,
// no line of `qlp search` and no chunk of generation context can show it. Line numbers stay.
import { findLikelySecrets } from '../secrets/likelySecrets';

export const secretMask = '••••••';

/**
 * What ends a secret's word: blanks, quotes, brackets and the separators of assignments and
 * URLs. Base64's `+` and `/`, and the `-`, `_`, `.` of tokens, do not: a key is masked whole.
 */
const boundaryChars = '\\s\'"`,;(){}[\\]<>:@=';
const boundary = new RegExp(`[${boundaryChars}]`);
const word = new RegExp(`[^${boundaryChars}]+`, 'g');

/** Offsets of each line's start, to turn a hit's line and column into offsets. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The text with every likely secret's words replaced by `secretMask`. A hit's range is widened
 * to whole words first: a rule may report a range that starts early and ends inside the value
 * (secretlint's AWS rule does), and no part of a key may remain.
 */
export async function maskSecrets(path: string, text: string): Promise<string> {
  const hits = await findLikelySecrets(path, text);
  if (hits.length === 0) return text;
  const starts = lineStarts(text);
  const ranges = hits
    .map((h) => {
      let start = starts[h.line - 1] + h.column - 1;
      let end = starts[h.endLine - 1] + h.endColumn - 1;
      while (start > 0 && !boundary.test(text[start - 1])) start--;
      while (end < text.length && !boundary.test(text[end])) end++;
      return [start, end] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    const from = Math.max(at, start);
    out += text.slice(at, from) + text.slice(from, end).replace(word, secretMask);
    at = end;
  }
  return out + text.slice(at);
}
