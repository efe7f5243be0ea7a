// The extension's side: which active extensions count as other linters, from their settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectEditorLinters, type EditorView } from '../../../extension/src/editorLinters';

function view(active: string[], settings: Record<string, unknown> = {}): EditorView {
  return { isActive: (id) => active.includes(id), setting: <T>(section: string, key: string) => settings[`${section}.${key}`] as T | undefined };
}

describe('other linters in the editor', () => {
  it('counts only active extensions, with the languages they check', () => {
    assert.deepEqual(detectEditorLinters(view([])), []);
    assert.deepEqual(detectEditorLinters(view(['dbaeumer.vscode-eslint', 'charliermarsh.ruff'])), [
      { tool: 'eslint', extension: 'dbaeumer.vscode-eslint', languages: ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'] },
      { tool: 'ruff', extension: 'charliermarsh.ruff', languages: ['python'] },
    ]);
    assert.deepEqual(detectEditorLinters(view(['dbaeumer.vscode-eslint'], { 'eslint.validate': ['javascript', { language: 'vue' }] }))[0].languages, [
      'javascript',
      'vue',
    ]);
    assert.deepEqual(
      detectEditorLinters(view(['dbaeumer.vscode-eslint', 'charliermarsh.ruff'], { 'eslint.enable': false, 'ruff.lint.enable': false })),
      [],
      'turned off in their settings',
    );
  });

  it("reads each pyright-based extension's type checking mode and scope, with its own default", () => {
    const [pylance] = detectEditorLinters(view(['ms-python.vscode-pylance']));
    assert.deepEqual(pylance, { tool: 'pyright', extension: 'ms-python.vscode-pylance', languages: ['python'], typeChecking: false, wholeWorkspace: false });
    const [strict] = detectEditorLinters(
      view(['ms-python.vscode-pylance'], { 'python.analysis.typeCheckingMode': 'strict', 'python.analysis.diagnosticMode': 'workspace' }),
    );
    assert.deepEqual([strict.typeChecking, strict.wholeWorkspace], [true, true]);
    assert.deepEqual(detectEditorLinters(view(['ms-python.vscode-pylance'], { 'python.languageServer': 'Jedi' })), [], 'Pylance is not running');
    assert.equal(detectEditorLinters(view(['ms-pyright.pyright']))[0].typeChecking, true, 'Pyright checks types by default');
    assert.equal(detectEditorLinters(view(['detachhead.basedpyright'], { 'basedpyright.analysis.typeCheckingMode': 'off' }))[0].typeChecking, false);
  });
});
