// Finds `key = value` assignments in any text whose key is named like a secret (password, token,
// api_key, client_secret, …): `KEY=value` (.env, shell), `key: value` (YAML, JS objects, Go),
// `"key": "value"` (JSON), `key => 'value'` (PHP), `key := "v"`, `key: str = "v"` (annotated),
// `<password>v</password>` (XML). Only the value's place is returned; judging it is the caller's.

export interface Assignment {
  key: string;
  value: string;
  /** Whether the value was a quoted string literal (a bare word is a literal only in config files). */
  quoted: boolean;
  /** Offsets of the value in the text. */
  start: number;
  end: number;
}

/** Words a secret-named key ends with (after splitting camelCase, snake_case and kebab-case). */
const secretWords = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'secretkey',
  'accesskey',
  'clientsecret',
  'authtoken',
]);
/** `…_key` is a secret after these. */
const keyQualifiers = new Set([
  'api',
  'private',
  'secret',
  'access',
  'signing',
  'encryption',
  'master',
  'app',
  'auth',
  'client',
  'hmac',
  'jwt',
  'webhook',
  'session',
]);
/** Words that may follow the secret word and keep it a secret (`SECRET_KEY_BASE`, `PASSWORD_PROD`). */
const allowedAfter = new Set([
  'base',
  'value',
  'val',
  'string',
  'str',
  'raw',
  'b64',
  'base64',
  'hex',
  'plain',
  'prod',
  'production',
  'dev',
  'development',
  'staging',
  'stage',
  'test',
  'live',
  'local',
  'old',
  'new',
  'current',
  'primary',
  'secondary',
  'main',
  'default',
  'key',
]);

/** The words of a key's last part: `config.dbPassword` → [db, password]; `SECRET_KEY_BASE` → [secret, key, base]. */
export function keyWords(key: string): string[] {
  const last =
    key
      .split(/[.[\]]|->|::/)
      .filter(Boolean)
      .at(-1) ?? key;
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a key names a secret: it ends with a secret word, perhaps followed by a harmless qualifier (`_prod`, `_base`). */
export function isSecretName(key: string): boolean {
  const words = keyWords(key);
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i];
    const secret = secretWords.has(word) || (word === 'key' && keyQualifiers.has(words[i - 1]));
    if (secret) return true;
    if (!allowedAfter.has(word) && !/^\d+$/.test(word)) return false;
  }
  return false;
}

// A key holding a secret-ish word (judged precisely by isSecretName), optionally quoted and
// annotated with a type, then the operator. Bounded so that a long minified line stays linear.
const candidate =
  /(["'`]?)(?<![\w$.-])((?:[A-Za-z_$][\w$.-]{0,80}?)?(?:pass|pwd|secret|token|key)[\w$-]{0,40})\1[ \t]*(?::[ \t]*[\w.<>[\]|?, ]{1,40}?[ \t]*(?==))?(:=|=>|=(?!=)|:(?![:=]))[ \t]*/gi;
const xmlElement = /<([A-Za-z_][\w.-]{0,60})>([^<\n]{1,200})<\/\1>/g;

/** The quoted literal starting at `at` (`"…"`, `'…'` or a backquoted one without `${`), or undefined. */
function quotedAt(line: string, at: number): { value: string; end: number } | undefined {
  const quote = line[at];
  if (quote !== '"' && quote !== "'" && quote !== '`') return undefined;
  for (let i = at + 1; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === quote) return { value: line.slice(at + 1, i), end: i };
  }
  return undefined;
}

/** A bare value: the rest of the line, without a trailing comment, comma or semicolon. */
function bareAt(line: string, at: number): string {
  return line
    .slice(at)
    .replace(/\s+[#;].*$/, '')
    .replace(/[,;]\s*$/, '')
    .trim();
}

/** Every assignment to a secret-named key in `text`. */
export function secretAssignments(text: string): Assignment[] {
  const found: Assignment[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    if (/pass|pwd|secret|token|key/i.test(line)) {
      candidate.lastIndex = 0;
      for (let match = candidate.exec(line); match; match = candidate.exec(line)) {
        const key = match[2];
        const at = match.index + match[0].length;
        if (!isSecretName(key)) continue;
        const quoted = quotedAt(line, at);
        if (quoted) {
          found.push({ key, value: quoted.value, quoted: true, start: offset + at + 1, end: offset + quoted.end });
          candidate.lastIndex = quoted.end + 1;
        } else {
          const value = bareAt(line, at);
          if (value) found.push({ key, value, quoted: false, start: offset + at, end: offset + at + value.length });
        }
      }
      xmlElement.lastIndex = 0;
      for (let match = xmlElement.exec(line); match; match = xmlElement.exec(line)) {
        if (!isSecretName(match[1])) continue;
        const start = offset + match.index + match[1].length + 2;
        found.push({ key: match[1], value: match[2].trim(), quoted: false, start, end: start + match[2].length });
      }
    }
    offset += line.length + 1;
  }
  return found;
}
