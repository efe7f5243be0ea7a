// Keeps the language server told which other linters are active (editorLinters.ts). Extensions
// activate on their own schedule (Pylance when the first Python file opens, ESLint after
// start-up), and VS Code has no event for that: the list is looked at again shortly after each
// document opens, and whenever extensions or their settings change.
import * as vscode from 'vscode';
import type { EditorLinter } from '../../protocol/lsp';
import { detectEditorLinters, watchedSections, type EditorView } from './editorLinters';

const view: EditorView = {
  isActive: (id) => vscode.extensions.getExtension(id)?.isActive === true,
  setting: <T>(section: string, key: string) => vscode.workspace.getConfiguration(section).get<T>(key),
};

export function currentEditorLinters(): EditorLinter[] {
  return detectEditorLinters(view);
}

/** Calls `changed` with the new list whenever it changes. */
export function watchEditorLinters(changed: (linters: EditorLinter[]) => void): vscode.Disposable {
  let last = JSON.stringify(currentEditorLinters());
  const check = () => {
    const now = currentEditorLinters();
    const key = JSON.stringify(now);
    if (key === last) return;
    last = key;
    changed(now);
  };
  const timers = new Set<NodeJS.Timeout>();
  const soon = () => {
    for (const ms of [500, 2000, 6000]) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        check();
      }, ms);
      timers.add(timer);
    }
  };
  soon();
  return vscode.Disposable.from(
    vscode.extensions.onDidChange(check),
    vscode.workspace.onDidOpenTextDocument(soon),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (watchedSections.some((section) => e.affectsConfiguration(section))) check();
    }),
    { dispose: () => timers.forEach(clearTimeout) },
  );
}
