// Which of QLP's findings another extension already shows in the editor: ESLint's, Ruff's,
// pyright's (Pylance, Pyright, basedpyright), JSON syntax errors (VS Code's JSON support) and
// TypeScript's (VS Code's built-in TypeScript). Those are left to it, so the Problems panel
// lists each problem once. Security and secret findings, and QLP's notes about tools that failed,
// are never left out. Pure, apart from eslintSetUpFor's look at the project's files.
import { extname } from 'node:path';
import type { EditorLinter } from '../../../protocol/lsp';
import { toolFailedCode, type Finding } from '../../../protocol/validate';
import { eslintSetUpFor } from './eslintProject';

export const builtinTypeScriptId = 'vscode.typescript-language-features';

const typescriptLanguages = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

/** pyright's rules that stay on with `typeCheckingMode: off` (Pylance's default). */
const pyrightOffRules = new Set(['reportMissingImports', 'reportMissingModuleSource', 'reportInvalidTypeForm', 'reportUndefinedVariable']);

/** The language id VS Code gives a file that is not open (open documents carry their own). */
const languageIds: Record<string, string> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescriptreact',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascriptreact',
  '.py': 'python',
  '.pyi': 'python',
  '.json': 'json',
  '.jsonc': 'jsonc',
};

export function languageIdOf(absPath: string): string {
  return languageIds[extname(absPath).toLowerCase()] ?? 'plaintext';
}

/** What the editor knows of a file. */
export interface EditorFile {
  absPath: string;
  languageId: string;
  open: boolean;
}

/** The linters to leave findings to: the other extensions, and the built-in TypeScript when it reports for itself. */
export interface Deferral {
  linters: readonly EditorLinter[];
  /** VS Code's built-in TypeScript reports open TS/JS files (and QLP is not asked to report them too). */
  builtinTypeScript: boolean;
}

/** Whether `linter` reports `finding` (one of QLP's, from the same tool or the same defect). */
function reports(linter: EditorLinter, f: Finding, absPath: string): boolean {
  const lintOrSyntax = f.stage === 'lint' || f.stage === 'syntax';
  switch (linter.tool) {
    case 'eslint':
      return f.source === 'eslint' && lintOrSyntax && eslintSetUpFor(absPath);
    case 'ruff':
      return f.source === 'ruff' && lintOrSyntax;
    case 'pyright':
      // pyright reports syntax errors and undefined names in every mode: Ruff's are the same defects.
      if (f.source === 'ruff') return f.stage === 'syntax' || f.code === 'F821';
      return f.source === 'pyright' && (linter.typeChecking === true || pyrightOffRules.has(f.code ?? ''));
    case 'json':
      return f.source === 'json' && f.stage === 'syntax';
  }
}

/** The extension that shows `finding` in `file` instead of QLP, if one does. */
export function shownBy(finding: Finding, file: EditorFile, deferral: Deferral): string | undefined {
  if (finding.stage === 'security' || finding.stage === 'tests' || finding.code === toolFailedCode || finding.code === 'config') return undefined;
  if (
    deferral.builtinTypeScript &&
    file.open &&
    typescriptLanguages.includes(file.languageId) &&
    finding.source === 'typescript' &&
    (finding.stage === 'types' || finding.stage === 'syntax')
  ) {
    return builtinTypeScriptId;
  }
  for (const linter of deferral.linters) {
    if ((file.open || linter.wholeWorkspace) && linter.languages.includes(file.languageId) && reports(linter, finding, file.absPath)) return linter.extension;
  }
  return undefined;
}

/** Whether every finding of a stage's tool for this file would be left to another extension (then QLP need not run it). */
export function typesLeftToEditor(file: EditorFile, deferral: Deferral): boolean {
  if (file.languageId === 'python') return deferral.linters.some((l) => l.tool === 'pyright' && l.typeChecking === true && l.languages.includes('python'));
  return deferral.builtinTypeScript && typescriptLanguages.includes(file.languageId);
}
