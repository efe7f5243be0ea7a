// What a value assigned to a secret-named key looks like: a placeholder (never a secret), a
// password, or a key (long and high-entropy). Pure functions over the value's text.

/** Words that stand in for a value, never are one (compared case-insensitively). */
const placeholderWords = new Set([
  'changeme',
  'change-me',
  'change_me',
  'changeit',
  'password',
  'passwd',
  'pass',
  'pwd',
  'pw',
  'secret',
  'token',
  'key',
  'apikey',
  'api-key',
  'api_key',
  'example',
  'sample',
  'dummy',
  'fake',
  'test',
  'testing',
  'placeholder',
  'redacted',
  'removed',
  'hidden',
  'masked',
  'none',
  'null',
  'nil',
  'undefined',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'required',
  'optional',
  'todo',
  'tbd',
  'fixme',
  'string',
  'str',
  'any',
  'unknown',
  'value',
  'default',
  'empty',
  'user',
  'username',
]);

/**
 * Whether a value only stands in for a secret: empty, a template or variable (`${X}`, `{{ x }}`,
 * `$X`, `%X%`), angle-bracketed (`<your-key>`), repeated characters (`xxx`, `***`), "your/my
 * …"/"…here", an UPPER_SNAKE name (of an environment variable), a path, a URL without
 * credentials, an encrypted value (`ENC(…)`, `!vault`), or a word like `changeme`.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 3) return true;
  if (/\$\{|\{\{|#\{|%\(|%s|<%|\$\(/.test(v)) return true;
  if (/^(<[^>]*>|\[[^\]]*\]|\{[^}]*\}|\([^)]*\))$/.test(v)) return true;
  if (/^(\$[A-Za-z_]|%[A-Za-z_][\w]*%$|!|ENC\(|enc:|vault:)/.test(v)) return true;
  if (/^[x*.#_\- ]+$/i.test(v) || /^(.)\1+$/.test(v)) return true;
  if (isInstruction(v) || /(^|[-_ .])(here|placeholder|example|sample|dummy|fake|changeme|redacted)([-_ .]|$)/i.test(v)) return true;
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v)) return true;
  if (/^(\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v)) return true;
  return placeholderWords.has(v.toLowerCase());
}

/**
 * "your-key", "my_password", "YourApiKeyHere", "mysecret": a lead word followed by a separator or by
 * words alone. A random value that merely starts with those letters ("Myr7…", "addaa03f…") is not.
 */
function isInstruction(v: string): boolean {
  const lead = /^(your|my|insert|enter|put|replace|add|paste|some)(.*)$/i.exec(v);
  if (!lead) return false;
  const rest = lead[2];
  // Words alone: "secretKey", "ApiKeyHere", "PASSWORD". Each group starts with its capital, so the
  // match is linear (a nested `([A-Z]?[a-z]+)+` backtracks for minutes on "my" + 40 letters + "1").
  return rest === '' || /^[-_ ]/.test(rest) || /^[A-Z]?[a-z]+(?:[A-Z][a-z]+)*$/.test(rest) || /^[A-Z]+$/.test(rest);
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

const asciiSymbol = /[!-,/:-@[-^`{-~]/; // ASCII punctuation but `.`, `-` and `_`, which identifiers use

/** A password-like value: no spaces, at least 6 characters, with a digit or a symbol (not a word, an identifier or a number). */
export function looksLikePassword(value: string): boolean {
  return value.length >= 6 && !/\s/.test(value) && !/^[\d.]+$/.test(value) && (/\d/.test(value) || asciiSymbol.test(value));
}

/** A key-like value: long, no spaces, and high-entropy (random-looking). */
export function looksLikeKey(value: string): boolean {
  if (value.length < 16 || /\s/.test(value)) return false;
  const bits = entropy(value);
  return (/\d/.test(value) && /[A-Za-z]/.test(value) && bits >= 3) || (value.length >= 32 && bits >= 4);
}
