// QLP's own secretlint rules, on top of the recommended preset (which only knows secrets with a
// vendor pattern): .env files, literal values assigned to secret-named keys, passwords inside
// URLs, and Stripe live keys. Each reports where, never the value.
import type { SecretLintRuleCreator, SecretLintRuleContext } from '@secretlint/types';
import { keyWords, secretAssignments, type Assignment } from './assignments';
import { entropy, isPlaceholder, looksLikeKey, looksLikePassword } from './placeholders';

/** Bumped whenever a rule below changes what it finds (cached scan results are then dropped). */
export const qlpRulesVersion = 2;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** `.env`, `.env.production`, `prod.env`: but not the templates meant to be shared (`.env.example`, `.sample`, `.template`). */
export function isEnvFile(path: string): boolean {
  const name = baseName(path).toLowerCase();
  if (/\.(example|sample|template)$/.test(name)) return false;
  return /^\.env(\..+)?$/.test(name) || /.\.env$/.test(name);
}

type FileKind = 'env' | 'config' | 'docs' | 'code';

/**
 * How literal a file's values are: in config files (YAML, INI, TOML, properties, shell,
 * Dockerfiles, files without an extension) a bare word is a value; in code only a quoted string
 * is; documentation shows examples, so only key-like values count there.
 */
export function fileKind(path: string): FileKind {
  if (isEnvFile(path)) return 'env';
  const name = baseName(path).toLowerCase();
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1) : '';
  if (/^(md|markdown|mdx|rst|adoc|asciidoc|html?)$/.test(ext)) return 'docs';
  if (ext === '' || /^(ya?ml|ini|cfg|conf|properties|toml|tfvars|sh|bash|zsh|env|npmrc|pypirc)$/.test(ext) || name.startsWith('dockerfile')) return 'config';
  return 'code';
}

/** Whether a literal assigned to a secret-named key is likely a real secret in a file of this kind. */
export function isSecretValue(assignment: Assignment, kind: FileKind, keyWordCount: number): boolean {
  const { value, quoted } = assignment;
  if (isPlaceholder(value)) return false;
  if (kind === 'docs') return looksLikeKey(value);
  if (!quoted && kind === 'code') return false; // an expression: process.env.X, os.environ["X"], a type
  if (looksLikePassword(value) || looksLikeKey(value)) return true;
  // In config files, `POSTGRES_PASSWORD: postgres` holds a password; a bare `password: Passwort`
  // (a translation, say) does not count without a qualifier in the key.
  return kind !== 'code' && keyWordCount >= 2 && /^[\x21-\x7e]{3,}$/.test(value);
}

const messages = {
  ENV_FILE: { en: () => 'a .env file assigns a value' },
  ASSIGNMENT: { en: (p: { key: string }) => `${p.key} is assigned a literal secret` },
  URL: { en: () => 'a URL holds a password' },
  STRIPE: { en: () => 'a Stripe live or webhook key' },
};

type Report = (context: SecretLintRuleContext, range: readonly [number, number], message: keyof typeof messages, props?: Record<string, unknown>) => void;

const report: Report = (context, range, message, props = {}) => {
  const t = context.createTranslator(messages);
  context.report({ message: t(message, props as never), range });
};

function rule(id: string, scan: (context: SecretLintRuleContext, path: string, text: string) => void): SecretLintRuleCreator {
  return {
    messages,
    meta: { id, recommended: true, type: 'scanner', supportedContentTypes: ['text'] },
    create: (context) => ({
      file(source) {
        scan(context, source.filePath ?? '', source.content);
      },
    }),
  };
}

const envLine = /^[ \t]*(?:export[ \t]+)?[A-Za-z_][\w.-]*[ \t]*=[ \t]*(.*)$/gm;

const envFile = rule('@qlp/env-file', (context, path, text) => {
  if (!isEnvFile(path)) return;
  for (const match of text.matchAll(envLine)) {
    const value = match[1]
      .replace(/\s+#.*$/, '')
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2');
    if (isPlaceholder(value)) continue; // empty, `${X}`, `changeme`, …: nothing to keep home
    const start = match.index + match[0].length - match[1].length;
    report(context, [start, start + match[1].length], 'ENV_FILE');
  }
});

const hardcoded = rule('@qlp/hardcoded-secret', (context, path, text) => {
  const kind = fileKind(path);
  for (const assignment of secretAssignments(text)) {
    if (isSecretValue(assignment, kind, keyWords(assignment.key).length))
      report(context, [assignment.start, assignment.end], 'ASSIGNMENT', { key: assignment.key });
  }
});

const urlCredentials = /\b[a-z][a-z0-9+.-]{1,20}:\/\/([^\s:@/?#'"`<>]*):([^\s@/?#'"`<>]+)@[\w[]/gi;

const passwordInUrl = rule('@qlp/password-in-url', (context, path, text) => {
  const kind = fileKind(path);
  for (const match of text.matchAll(urlCredentials)) {
    const [, user, password] = match;
    if (isPlaceholder(password) || password === user) continue;
    if (kind === 'docs' && !looksLikeKey(password)) continue;
    const start = match.index + match[0].indexOf(`:${password}@`) + 1;
    report(context, [start, start + password.length], 'URL');
  }
});

const stripeKey = /\b(?:sk_live|rk_live|whsec)_[0-9A-Za-z]{16,}/g;

const stripe = rule('@qlp/stripe-key', (context, _path, text) => {
  for (const match of text.matchAll(stripeKey)) {
    const body = match[0].slice(match[0].indexOf('_', 3) + 1);
    if (isPlaceholder(match[0]) || entropy(body) < 3) continue;
    report(context, [match.index, match.index + match[0].length], 'STRIPE');
  }
});

/** The rules, in the order they run. */
export const qlpSecretRules: readonly SecretLintRuleCreator[] = [envFile, hardcoded, passwordInUrl, stripe];
