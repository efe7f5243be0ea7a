// The one adapter over secretlint: its recommended preset (AWS, GCP, GitHub, Slack, npm, private
// keys, basic-auth URLs, …) over any text, .env and config files included.
import { lintSource } from '@secretlint/core';
import { creator as presetRecommend } from '@secretlint/secretlint-rule-preset-recommend';

export interface SecretFinding {
  /** The path as given. */
  path: string;
  /** 1-based; columns count UTF-16 units. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The rule that matched, e.g. `@secretlint/secretlint-rule-aws`. */
  ruleId: string;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: presetRecommend }] };

/** Secrets in the given texts, with the secret values masked in the messages. */
export async function findSecrets(files: Array<{ path: string; text: string }>): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  for (const file of files) {
    const result = await lintSource({
      source: { content: file.text, filePath: file.path, contentType: 'text' },
      options: { config, maskSecrets: true, noPhysicFilePath: true },
    });
    for (const m of result.messages) {
      if (m.type !== 'message') continue;
      findings.push({
        path: file.path,
        line: m.loc.start.line,
        column: m.loc.start.column + 1,
        endLine: m.loc.end.line,
        endColumn: m.loc.end.column + 1,
        ruleId: m.ruleId,
        message: m.message,
        severity: m.severity === 'error' ? 'error' : m.severity === 'warning' ? 'warning' : 'info',
      });
    }
  }
  return findings;
}
