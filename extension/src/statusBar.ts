// The status-bar item that shows the language server's state; a click shows the QLP output.
import * as vscode from 'vscode';
import type { ServerState } from '../../protocol/webview';
import { commandIds } from './commands/ids';

const presentation: Record<ServerState, { text: string; tooltip: string; error?: boolean }> = {
  starting: { text: '$(loading~spin) QLP', tooltip: 'QLP language server: starting' },
  ready: { text: '$(check) QLP', tooltip: 'QLP language server: ready' },
  restarting: { text: '$(sync~spin) QLP', tooltip: 'QLP language server: restarting after a crash' },
  crashed: { text: '$(error) QLP', tooltip: 'QLP language server: crashed; click for the output', error: true },
  stopped: { text: '$(circle-slash) QLP', tooltip: 'QLP language server: stopped' },
};

export function createStatusBar(onDidChangeState: vscode.Event<ServerState>, initial: ServerState): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('qlp.server', vscode.StatusBarAlignment.Left, 10);
  item.name = 'QLP language server';
  item.command = commandIds.showOutput;
  const render = (state: ServerState) => {
    const { text, tooltip, error } = presentation[state];
    item.text = text;
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: tooltip };
    item.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  };
  render(initial);
  item.show();
  const subscription = onDidChangeState(render);
  return vscode.Disposable.from(item, subscription);
}
