// Stage 2: lint and style. ESLint (the project's flat config, else @eslint/js + typescript-eslint
// recommended) and Ruff (the project's settings, else its defaults).
import type { Stage, StageFinding } from '../model';
import { eslintPass, ruffPass } from './shared';

export const lintStage: Stage = {
  id: 'lint',
  async run(ctx) {
    if (!ctx.files.some((f) => f.language === 'javascript' || f.language === 'typescript' || f.language === 'python'))
      return { skipped: 'no JavaScript, TypeScript or Python files to lint', nothingToCheck: true };
    const [eslint, ruff] = await Promise.all([eslintPass(ctx), ruffPass(ctx)]);
    const findings: StageFinding[] = [...eslint.configFindings, ...ruff.configFindings];
    const unparsed = new Set<string>();
    for (const f of eslint.findings) {
      if (f.stage === 'lint') findings.push(f);
      // A file ESLint cannot parse: the syntax stage says so; without it, say it here once.
      else if (f.stage === 'syntax' && !ctx.stages.has('syntax') && !unparsed.has(f.file)) {
        unparsed.add(f.file);
        findings.push({ ...f, stage: 'lint', severity: 'error' });
      }
    }
    for (const f of ruff.findings) {
      if (f.stage === 'lint') findings.push(f);
      else if (f.stage === 'syntax' && !ctx.stages.has('syntax')) findings.push({ ...f, stage: 'lint' });
    }
    return eslint.note ? { findings, note: eslint.note } : { findings };
  },
};
