// The one adapter over secretlint: finds likely secrets (API keys, tokens, private keys,
// connection strings with passwords) in text with the recommended rule preset, .env and config
// files included. It reports which rule matched where, never the matched value (masked).
// secretlint is loaded on first use. Callers may add rules of their own (see qlpRules.ts).
//
// @secretlint/node's engine loads rules by package name at run time, which a bundled extension
// cannot do; this adapter calls @secretlint/core's lintSource (what that engine calls) with the
// preset imported statically.
export interface SecretHit {
  /** e.g. `@secretlint/secretlint-rule-openai`. */
  ruleId: string;
  /** 1-based; columns count UTF-16 units. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** secretlint's message, with the value masked. */
  message: string;
  severity: 'error' | 'warning' | 'info';
}

export interface SecretFinding extends SecretHit {
  /** The path as given. */
  path: string;
}

/** The scanner and rule set; results cached under one id are not reused under another. */
export const secretScannerId = 'secretlint-11.7.1/preset-recommend-11.7.1';

type LintSource = typeof import('@secretlint/core', { with: { 'resolution-mode': 'import' } }).lintSource;
type SecretLintCoreConfig = Parameters<LintSource>[0]['options']['config'];
type RuleDescriptor = SecretLintCoreConfig['rules'][number];
export type SecretRule = RuleDescriptor['rule'];

let engine: Promise<{ lintSource: LintSource; preset: RuleDescriptor }> | undefined;

function loadEngine() {
  engine ??= (async () => {
    const [{ lintSource }, preset, { secretLintProfiler }] = await Promise.all([
      import('@secretlint/core'),
      import('@secretlint/secretlint-rule-preset-recommend'),
      import('@secretlint/profiler'),
    ]);
    // secretlint records performance marks for every rule on every file and keeps them (and
    // measures between them) for the life of the process: a long-lived server grows and slows
    // with each file scanned. QLP does not read that profile, so no marks are made.
    secretLintProfiler.mark = () => undefined;
    return { lintSource, preset: { id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator } as RuleDescriptor };
  })();
  return engine;
}

/**
 * The likely secrets in one text file, by the recommended preset and `extraRules`; `path` is
 * only used for rules that look at file names.
 */
export async function findSecrets(path: string, content: string, extraRules: readonly SecretRule[] = []): Promise<SecretHit[]> {
  const { lintSource, preset } = await loadEngine();
  const config: SecretLintCoreConfig = { rules: [preset, ...extraRules.map((rule) => ({ id: rule.meta.id, rule }) as RuleDescriptor)] };
  const dot = path.lastIndexOf('.');
  const result = await lintSource({
    source: { filePath: path, content, ext: dot > path.lastIndexOf('/') ? path.slice(dot) : '', contentType: 'text' },
    options: { config, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages
    .filter((m) => m.type === 'message')
    .map((m) => ({
      ruleId: m.ruleId,
      line: m.loc.start.line,
      column: m.loc.start.column + 1,
      endLine: m.loc.end.line,
      endColumn: m.loc.end.column + 1,
      message: plainMessage(m.ruleId, m.messageId),
      severity: m.severity === 'error' ? 'error' : m.severity === 'warning' ? 'warning' : 'info',
    }));
}

/** What each of secretlint's messages found, in plain words (its own messages quote the masked value). */
const secretKinds: Record<string, string> = {
  AWSAccountID: 'AWS account ID',
  AWSSecretAccessKey: 'AWS secret access key',
  AWSAccessKeyID: 'AWS access key ID',
  PrivateKeyP12: 'GCP service account key (p12)',
  PrivateKeyJSON: 'GCP service account key (JSON)',
  PrivateKey: 'private key',
  GITHUB_TOKEN: 'GitHub token',
  PackageJSON_xOauthToken: 'GitHub token',
  Npmrc_authToken: 'npm auth token',
  NPM_ACCESS_TOKEN: 'npm access token',
  SLACK_TOKEN: 'Slack token',
  IncomingWebhook: 'Slack incoming webhook URL',
  BasicAuth: 'basic auth password',
  OPENAI_TOKEN: 'OpenAI API key',
  ANTHROPIC_API_KEY: 'Anthropic API key',
  LINEAR_API_TOKEN: 'Linear API key',
  SENDGRID_KEY: 'SendGrid API key',
  SHOPIFY_KEY: 'Shopify API key',
  OPS_TOKEN: '1Password service account token',
  MongoDBConnection: 'MongoDB password',
  MySQLConnection: 'MySQL password',
  PostgreSQLConnection: 'PostgreSQL password',
  // QLP's own rules (qlpRules.ts)
  ENV_FILE: 'value in a .env file',
  ASSIGNMENT: 'secret',
  URL: 'password in a URL',
  STRIPE: 'Stripe key',
};

/** e.g. "Hard-coded GitHub token (secretlint: @secretlint/secretlint-rule-github)": never the value, masked or not. */
function plainMessage(ruleId: string, messageId: string): string {
  return `Hard-coded ${secretKinds[messageId] ?? 'secret'} (secretlint: ${ruleId})`;
}

/** The likely secrets in several files. */
export async function findSecretsIn(files: Array<{ path: string; text: string }>): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  for (const file of files) for (const hit of await findSecrets(file.path, file.text)) findings.push({ path: file.path, ...hit });
  return findings;
}
