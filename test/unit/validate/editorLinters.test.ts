// What QLP leaves to the other extensions active in the editor, finding by finding.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { EditorLinter } from '../../../protocol/lsp';
import type { Finding, StageId } from '../../../protocol/validate';
import { shownBy, typesLeftToEditor, type Deferral } from '../../../language-server/src/validate/editorLinters';
import { writeProject } from '../../support/projects';

const finding = (source: string, stage: StageId, code?: string): Finding => ({
  file: 'x',
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  severity: 'warning',
  stage,
  source,
  message: 'm',
  ...(code ? { code } : {}),
});
const eslintExtension: EditorLinter = {
  tool: 'eslint',
  extension: 'dbaeumer.vscode-eslint',
  languages: ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'],
};
const ruffExtension: EditorLinter = { tool: 'ruff', extension: 'charliermarsh.ruff', languages: ['python'] };
const pylance = (typeChecking: boolean, wholeWorkspace = false): EditorLinter => ({
  tool: 'pyright',
  extension: 'ms-python.vscode-pylance',
  languages: ['python'],
  typeChecking,
  wholeWorkspace,
});
const only = (...linters: EditorLinter[]): Deferral => ({ linters, builtinTypeScript: false });

/** A project the ESLint extension can lint: ESLint installed in it and a config. */
function eslintProject(withConfig = true): string {
  const root = writeProject({
    'src/app.ts': '',
    'node_modules/eslint/package.json': '{"name":"eslint","version":"9.0.0"}',
    ...(withConfig ? { 'eslint.config.mjs': 'export default [];\n' } : {}),
  });
  return root;
}

describe('findings left to other extensions', () => {
  it("leaves ESLint's lint findings to the ESLint extension where it can lint, never security ones", () => {
    const root = eslintProject();
    const open = { absPath: join(root, 'src', 'app.ts'), languageId: 'typescript', open: true };
    const deferral = only(eslintExtension);
    assert.equal(shownBy(finding('eslint', 'lint', 'prefer-const'), open, deferral), 'dbaeumer.vscode-eslint');
    assert.equal(shownBy(finding('eslint', 'security', 'security/detect-eval-with-expression'), open, deferral), undefined);
    assert.equal(shownBy(finding('secretlint', 'security', '@secretlint/secretlint-rule-github'), open, deferral), undefined);
    assert.equal(shownBy(finding('eslint', 'lint', 'tool-failed'), open, deferral), undefined, 'QLP says when its ESLint failed');
    assert.equal(shownBy(finding('typescript', 'types', 'TS2345'), open, deferral), undefined);
    assert.equal(shownBy(finding('eslint', 'lint', 'prefer-const'), { ...open, open: false }, deferral), undefined, 'the extension lints open files only');
    assert.equal(shownBy(finding('eslint', 'lint', 'prefer-const'), { ...open, languageId: 'vue' }, deferral), undefined);
    assert.equal(shownBy(finding('eslint', 'lint', 'prefer-const'), open, only()), undefined);
  });

  it("keeps ESLint's findings where the extension has no ESLint or no config to run", () => {
    const noConfig = eslintProject(false);
    assert.equal(
      shownBy(
        finding('eslint', 'lint', 'prefer-const'),
        { absPath: join(noConfig, 'src', 'app.ts'), languageId: 'typescript', open: true },
        only(eslintExtension),
      ),
      undefined,
    );
    const noEslint = writeProject({ 'eslint.config.mjs': 'export default [];\n', 'a.js': '' });
    assert.equal(
      shownBy(finding('eslint', 'lint', 'no-undef'), { absPath: join(noEslint, 'a.js'), languageId: 'javascript', open: true }, only(eslintExtension)),
      undefined,
    );
    const legacy = writeProject({ 'package.json': JSON.stringify({ eslintConfig: { rules: {} } }), 'node_modules/eslint/package.json': '{}', 'lib/a.js': '' });
    mkdirSync(join(legacy, 'lib', 'deep'), { recursive: true });
    writeFileSync(join(legacy, 'lib', 'deep', 'b.js'), '');
    assert.equal(
      shownBy(
        finding('eslint', 'lint', 'no-undef'),
        { absPath: join(legacy, 'lib', 'deep', 'b.js'), languageId: 'javascript', open: true },
        only(eslintExtension),
      ),
      'dbaeumer.vscode-eslint',
    );
  });

  it("leaves Ruff's lint and syntax findings to Ruff's extension, its S rules stay", () => {
    const py = { absPath: '/p/a.py', languageId: 'python', open: true };
    assert.equal(shownBy(finding('ruff', 'lint', 'F401'), py, only(ruffExtension)), 'charliermarsh.ruff');
    assert.equal(shownBy(finding('ruff', 'syntax', 'invalid-syntax'), py, only(ruffExtension)), 'charliermarsh.ruff');
    assert.equal(shownBy(finding('ruff', 'security', 'S602'), py, only(ruffExtension)), undefined);
    assert.equal(shownBy(finding('ruff', 'lint', 'config'), py, only(ruffExtension)), undefined, 'a config QLP could not use');
    assert.equal(shownBy(finding('pyright', 'types', 'reportAttributeAccessIssue'), py, only(ruffExtension)), undefined);
  });

  it("leaves pyright's findings to Pylance by its type checking mode, with the same defects Ruff finds", () => {
    const py = { absPath: '/p/a.py', languageId: 'python', open: true };
    const off = only(pylance(false));
    assert.equal(shownBy(finding('pyright', 'types', 'reportMissingImports'), py, off), 'ms-python.vscode-pylance');
    assert.equal(shownBy(finding('pyright', 'types', 'reportAttributeAccessIssue'), py, off), undefined, 'off mode reports no type errors');
    assert.equal(shownBy(finding('pyright', 'types', 'reportAttributeAccessIssue'), py, only(pylance(true))), 'ms-python.vscode-pylance');
    assert.equal(shownBy(finding('ruff', 'lint', 'F821'), py, off), 'ms-python.vscode-pylance', 'Pylance reports undefined names in every mode');
    assert.equal(shownBy(finding('ruff', 'syntax', 'invalid-syntax'), py, off), 'ms-python.vscode-pylance');
    assert.equal(shownBy(finding('ruff', 'lint', 'F401'), py, off), undefined);
    assert.equal(shownBy(finding('pyright', 'types', 'reportAttributeAccessIssue'), { ...py, open: false }, only(pylance(true))), undefined);
    assert.equal(
      shownBy(finding('pyright', 'types', 'reportAttributeAccessIssue'), { ...py, open: false }, only(pylance(true, true))),
      'ms-python.vscode-pylance',
      'diagnosticMode workspace',
    );
    assert.equal(typesLeftToEditor(py, only(pylance(true))), true);
    assert.equal(typesLeftToEditor(py, off), false, 'QLP still checks the types Pylance does not');
  });

  it("leaves open TS/JS files' syntax and type errors to the built-in TypeScript, not tsconfig's", () => {
    const deferral: Deferral = { linters: [], builtinTypeScript: true };
    const ts = { absPath: '/p/a.tsx', languageId: 'typescriptreact', open: true };
    assert.equal(shownBy(finding('typescript', 'types', 'TS2345'), ts, deferral), 'vscode.typescript-language-features');
    assert.equal(shownBy(finding('typescript', 'syntax', 'TS1005'), ts, deferral), 'vscode.typescript-language-features');
    assert.equal(shownBy(finding('typescript', 'types', 'TS2345'), { ...ts, open: false }, deferral), undefined, 'closed files: only QLP reports them');
    assert.equal(shownBy(finding('typescript', 'types', 'TS5023'), { absPath: '/p/tsconfig.json', languageId: 'jsonc', open: true }, deferral), undefined);
    assert.equal(
      shownBy(
        finding('json', 'syntax', 'InvalidSymbol'),
        { absPath: '/p/a.json', languageId: 'json', open: true },
        only({ tool: 'json', extension: 'vscode.json-language-features', languages: ['json', 'jsonc'] }),
      ),
      'vscode.json-language-features',
    );
  });
});
