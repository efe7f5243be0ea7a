// Tool passes shared by several stages of one run: one ESLint pass and one Ruff pass serve
// syntax, lint and security, each stage taking its own findings.
import { yieldToEventLoop } from '../findings';
import { asTool, type StageContext, type StageFinding } from '../model';

export interface SharedPass {
  findings: StageFinding[];
  configFindings: StageFinding[];
  /** Said in the stage's reason: what the pass held back (a project config left unloaded). */
  note?: string;
}

const between = (ctx: StageContext) => () => yieldToEventLoop(ctx.signal);

/** ESLint over the run's JavaScript and TypeScript files, with the rules of the stages in the run. */
export function eslintPass(ctx: StageContext): Promise<SharedPass> {
  return ctx.memo('eslint', async () => {
    const files = ctx.files.filter((f) => f.language === 'javascript' || f.language === 'typescript');
    if (files.length === 0) return { findings: [], configFindings: [] };
    ctx.progress(`ESLint: ${files.length} files`);
    return asTool('eslint', ctx.signal, () =>
      ctx.tools.eslint.run(ctx.root, files, { lint: ctx.stages.has('lint'), security: ctx.stages.has('security'), projectConfig: ctx.trusted }, between(ctx)),
    );
  });
}

/** Ruff over the run's Python files: syntax errors, lint rules and, with security, the S rules. */
export function ruffPass(ctx: StageContext): Promise<SharedPass> {
  return ctx.memo('ruff', async () => {
    const files = ctx.files.filter((f) => f.language === 'python');
    if (files.length === 0) return { findings: [], configFindings: [] };
    ctx.progress(`Ruff: ${files.length} files`);
    return asTool('ruff', ctx.signal, () =>
      ctx.tools.ruff.run(ctx.root, files, { lint: ctx.stages.has('lint'), security: ctx.stages.has('security') }, between(ctx)),
    );
  });
}

export { between };
