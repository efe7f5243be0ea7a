// Where each rule is documented, for the link on a diagnostic's code (LSP `codeDescription`).
import { toolFailedCode, type Finding } from '../../../protocol/validate';
import { ruffLinterAnchor, ruffRuleNames } from './ruffRuleNames';

const eslintPlugins: Array<[prefix: string, url: (rule: string) => string]> = [
  ['@typescript-eslint/', (rule) => `https://typescript-eslint.io/rules/${rule}`],
  ['security/', (rule) => `https://github.com/eslint-community/eslint-plugin-security/blob/main/docs/rules/${rule}.md`],
  ['@microsoft/sdl/', (rule) => `https://github.com/microsoft/eslint-plugin-sdl/blob/master/docs/rules/${rule}.md`],
];

function eslintDocs(code: string): string | undefined {
  if (/^[a-z-]+$/.test(code)) return `https://eslint.org/docs/latest/rules/${code}`;
  for (const [prefix, url] of eslintPlugins) if (code.startsWith(prefix)) return url(code.slice(prefix.length));
  return undefined; // a plugin of the project's own config: its docs are its own
}

function ruffDocs(code: string): string | undefined {
  const name = ruffRuleNames[code];
  if (name) return `https://docs.astral.sh/ruff/rules/${name}/`;
  const section = ruffLinterAnchor(code);
  return section ? `https://docs.astral.sh/ruff/rules/#${section}` : undefined;
}

const byTool: Record<string, (code: string) => string | undefined> = {
  eslint: eslintDocs,
  ruff: ruffDocs,
  pyright: (rule) => (/^report[A-Za-z]+$/.test(rule) ? `https://github.com/microsoft/pyright/blob/main/docs/configuration.md#${rule}` : undefined),
  // TypeScript documents no page per error code; typescript.tv keeps a reference of them by code.
  typescript: (code) => (/^TS\d+$/.test(code) ? `https://typescript.tv/errors/#${code.toLowerCase()}` : undefined),
  secretlint: (rule) => {
    const name = /^@secretlint\/(secretlint-rule-[a-z0-9-]+)$/.exec(rule)?.[1];
    return name ? `https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/${name}/README.md` : undefined;
  },
};

/** Codes QLP gives its own findings about a tool (it failed, its config is unusable): no rule behind them. */
const qlpCodes = new Set([toolFailedCode, 'config']);

/** The documentation page of a finding's rule, when its tool has one. */
export function ruleDocsUrl(finding: Pick<Finding, 'source' | 'code'>): string | undefined {
  return finding.code && !qlpCodes.has(finding.code) ? byTool[finding.source]?.(finding.code) : undefined;
}
