// Text → terms for the lexical index, the hashed embedder and the reranker: identifiers split on
// camelCase, snake_case and digits, lowercased, stop words dropped, words reduced to a light stem
// so that "disconnects", "disconnected" and "disconnect" meet.

const stopWords = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our so than that the their them then there these they this those to too was we were ' +
    'what when where which while who why will with would you your var let const function return new this self ' +
    'true false null undefined void else elif def public private protected static final int string bool'
  ).split(' '),
);

/** Splits text into lowercased words: identifiers on camelCase, acronyms, snake_case and digits. */
export function words(text: string): string[] {
  const out: string[] = [];
  const re = /[A-Za-z][A-Za-z0-9]*|[0-9]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const token = m[0];
    if (token.length > 60) continue;
    // "parseHTTPResponse2" → parse, http, response, 2
    const parts = token.match(/[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+/g);
    if (!parts) continue;
    for (const p of parts) out.push(p.toLowerCase());
  }
  return out;
}

const stemCache = new Map<string, string>();

/** A light suffix-stripping stemmer (plural, -ing, -ed, -ly, -ment, -ation …); stable and cheap. */
export function stem(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  let w = word;
  if (w.length > 3) {
    if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
    else if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  }
  for (const [suffix, min] of [
    ['ational', 4],
    ['ization', 4],
    ['ation', 4],
    ['ition', 4],
    ['ment', 4],
    ['ness', 4],
    ['ingly', 4],
    ['edly', 4],
    ['ing', 3],
    ['ed', 3],
    ['ly', 4],
    ['er', 4],
    ['able', 4],
    ['ible', 4],
    ['ive', 4],
    ['ize', 4],
    ['ise', 4],
    ['al', 5],
  ] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= min) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // "stopp" → "stop", "pip" stays: undouble a final consonant left by -ing/-ed
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !'lsz'.includes(w[w.length - 1])) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  if (stemCache.size > 200_000) stemCache.clear();
  stemCache.set(word, w);
  return w;
}

/** The terms of a text: split, lowercased, without stop words or one-letter words, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2 || stopWords.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}

/**
 * Two adjacent words of a text written as one, as identifiers often write them ("cookie jar" →
 * cookiejar, "time zone" → timezone), each with the terms of its two words. Stop words and
 * one-letter words join nothing.
 */
export function joinedPairs(text: string): Array<{ term: string; parts: [string, string] }> {
  const ws = words(text);
  const out: Array<{ term: string; parts: [string, string] }> = [];
  const content = (w: string) => w.length >= 2 && !stopWords.has(w);
  for (let i = 0; i + 1 < ws.length; i++) {
    const [a, b] = [ws[i], ws[i + 1]];
    if (content(a) && content(b)) out.push({ term: stem(a + b), parts: [stem(a), stem(b)] });
  }
  return out;
}
