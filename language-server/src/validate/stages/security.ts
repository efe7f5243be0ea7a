// Stage 4: security. eslint-plugin-security and SDL rules for JS/TS, Ruff's flake8-bandit `S`
// rules for Python, secretlint's recommended preset over every text file.
import { findSecretsIn } from '../../secrets/secretlint';
import { asTool, type Stage, type StageFinding } from '../model';
import { eslintPass, ruffPass } from './shared';

export const securityStage: Stage = {
  id: 'security',
  async run(ctx) {
    if (ctx.files.length === 0) return { skipped: 'no files to check', nothingToCheck: true };
    const [eslint, ruff] = await Promise.all([eslintPass(ctx), ruffPass(ctx)]);
    ctx.progress(`secretlint: ${ctx.files.length} files`);
    const secrets = await asTool('secretlint', ctx.signal, () => findSecretsIn(ctx.files.map((f) => ({ path: f.path, text: f.text }))));
    const findings: StageFinding[] = [
      ...eslint.findings.filter((f) => f.stage === 'security'),
      ...ruff.findings.filter((f) => f.stage === 'security'),
      ...secrets.map((s) => ({
        file: s.path,
        line: s.line,
        column: s.column,
        endLine: s.endLine,
        endColumn: s.endColumn,
        severity: s.severity,
        code: s.ruleId,
        source: 'secretlint',
        message: s.message,
      })),
    ];
    return { findings };
  },
};
