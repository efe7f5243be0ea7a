// Which other extensions report the same problems QLP finds, and for which languages (pure: the
// editor's extensions and settings come in through EditorView). An extension counts once it is
// active (`vscode.extensions.getExtension(id)?.isActive`): installed, enabled and started for the
// workspace; the server then leaves that tool's findings for open documents of those languages
// to it (language-server/src/validate/editorLinters.ts).
import type { EditorLinter } from '../../protocol/lsp';

export interface EditorView {
  /** Whether the extension with this id is active. */
  isActive(id: string): boolean;
  /** A setting's value (undefined when unset). */
  setting<T>(section: string, key: string): T | undefined;
}

const scriptLanguages = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'];

/** `eslint.validate`: language ids, or `{ language }` objects in older settings. */
function eslintLanguages(view: EditorView): string[] {
  const validate = view.setting<Array<string | { language?: string }>>('eslint', 'validate');
  if (!Array.isArray(validate)) return scriptLanguages;
  return validate.flatMap((v) => (typeof v === 'string' ? [v] : typeof v?.language === 'string' ? [v.language] : []));
}

/** A pyright-based extension: its type checking mode (off reports only imports and undefined names) and scope. */
function pyrightBased(view: EditorView, extension: string, section: string, defaultMode: string): EditorLinter {
  const mode = view.setting<string>(section, 'typeCheckingMode') ?? defaultMode;
  return {
    tool: 'pyright',
    extension,
    languages: ['python'],
    typeChecking: mode !== 'off',
    wholeWorkspace: view.setting<string>(section, 'diagnosticMode') === 'workspace',
  };
}

const known: Array<{ id: string; linter(view: EditorView): EditorLinter | undefined }> = [
  {
    id: 'dbaeumer.vscode-eslint',
    linter: (view) =>
      view.setting('eslint', 'enable') === false ? undefined : { tool: 'eslint', extension: 'dbaeumer.vscode-eslint', languages: eslintLanguages(view) },
  },
  {
    id: 'charliermarsh.ruff',
    linter: (view) =>
      view.setting('ruff', 'enable') === false || view.setting('ruff', 'lint.enable') === false
        ? undefined
        : { tool: 'ruff', extension: 'charliermarsh.ruff', languages: ['python'] },
  },
  {
    id: 'ms-python.vscode-pylance',
    // The Python extension runs Pylance unless another language server is chosen.
    linter: (view) =>
      ['Jedi', 'None'].includes(view.setting<string>('python', 'languageServer') ?? '')
        ? undefined
        : pyrightBased(view, 'ms-python.vscode-pylance', 'python.analysis', 'off'),
  },
  { id: 'ms-pyright.pyright', linter: (view) => pyrightBased(view, 'ms-pyright.pyright', 'python.analysis', 'standard') },
  { id: 'detachhead.basedpyright', linter: (view) => pyrightBased(view, 'detachhead.basedpyright', 'basedpyright.analysis', 'recommended') },
  {
    id: 'vscode.json-language-features',
    linter: (view) =>
      view.setting('json', 'validate.enable') === false
        ? undefined
        : { tool: 'json', extension: 'vscode.json-language-features', languages: ['json', 'jsonc'] },
  },
];

/** The settings sections whose changes can change the answer. */
export const watchedSections = ['eslint', 'ruff', 'python', 'basedpyright', 'json'];

/** The other linters active in the editor now. */
export function detectEditorLinters(view: EditorView): EditorLinter[] {
  return known.flatMap(({ id, linter }) => {
    const found = view.isActive(id) ? linter(view) : undefined;
    return found ? [found] : [];
  });
}
