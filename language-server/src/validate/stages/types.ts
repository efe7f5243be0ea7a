// Stage 3: types. The TypeScript compiler with the project's tsconfig.json (a persistent
// LanguageService per project), and pyright in basic mode (unless the project configures it)
// for Python.
import { relPath } from '../findings';
import { asTool, type Stage, type StageContext, type StageFinding } from '../model';
import { crashMessage, firstLine, toolFailedFinding } from '../report';
import { pyrightFindings } from '../tools/pyright';
import { between } from './shared';

function pythonFiles(ctx: StageContext) {
  return ctx.files.filter((f) => f.language === 'python').map((f) => f.absPath);
}

/** pyright runs in its own process: started early, it overlaps the stages before this one. */
function pyright(ctx: StageContext): Promise<StageFinding[]> {
  return ctx.memo('pyright', () => asTool('pyright', ctx.signal, () => pyrightFindings(ctx.root, pythonFiles(ctx), ctx.signal, { trusted: ctx.trusted })));
}

export const typesStage: Stage = {
  id: 'types',
  prefetch(ctx) {
    if (ctx.thorough && pythonFiles(ctx).length) void pyright(ctx).catch(() => undefined);
  },
  async run(ctx) {
    const tsFiles = ctx.files.filter(
      (f) => f.language === 'typescript' || (f.language === 'javascript' && ctx.tools.typescript.checksJs(ctx.root, f.absPath, f.text)),
    );
    const python = ctx.thorough ? pythonFiles(ctx) : [];
    if (tsFiles.length === 0 && python.length === 0) {
      if (ctx.files.some((f) => f.language === 'python'))
        return { skipped: 'Python types are checked on open, on save and for the whole workspace, not while typing', nothingToCheck: true };
      return { skipped: 'no TypeScript or Python files to type-check', nothingToCheck: true };
    }
    const findings: StageFinding[] = [];
    const problems: string[] = [];
    const pending = python.length ? pyright(ctx) : undefined;
    if (tsFiles.length) {
      ctx.progress(`TypeScript: ${tsFiles.length} files`);
      findings.push(
        ...(await asTool('typescript', ctx.signal, () =>
          ctx.tools.typescript.check(
            ctx.root,
            tsFiles.map((f) => f.absPath),
            ctx.overlays,
            between(ctx),
          ),
        )),
      );
    }
    if (pending) {
      ctx.progress(`pyright: ${python.length} files`);
      try {
        findings.push(...(await pending));
      } catch (err) {
        if (ctx.signal.aborted || tsFiles.length === 0) throw err;
        // TypeScript was checked: the stage keeps its findings, and the Python files not checked say why.
        const message = crashMessage('pyright', firstLine(err), 'Python types were not checked');
        problems.push(message);
        findings.push(toolFailedFinding('types', 'pyright', relPath(ctx.root, python[0]), message));
      }
    }
    return problems.length ? { findings, note: problems.join('; ') } : { findings };
  },
};
