// The QLP Usage view: spend per day, tier and provider from the server's cost ledger.
import * as vscode from 'vscode';
import type { MessageOf, UsageViewFromWebview, UsageViewToWebview } from '../../../protocol/webview';
import { commandIds } from '../commands/ids';
import type { UsageModel } from '../usage';
import { showWebviewPage } from '../webviewHtml';

export const usageViewId = 'qlp.usage';

export class UsageViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private page: { ready(): void } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly usage: UsageModel,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.subscriptions.push(usage.onDidChange(() => this.render()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.page = showWebviewPage(view, this.extensionUri, { title: 'QLP Usage', script: 'usage' });
    view.webview.onDidReceiveMessage((message: MessageOf<UsageViewFromWebview>) => this.onMessage(message), undefined, this.subscriptions);
    view.onDidChangeVisibility(() => view.visible && void this.usage.refresh(), undefined, this.subscriptions);
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private render(): void {
    const summary = this.usage.summary;
    if (summary) this.post({ type: 'usage', summary });
  }

  private onMessage(message: MessageOf<UsageViewFromWebview>): void {
    switch (message.type) {
      case 'ready':
        this.page?.ready();
        this.render();
        void this.usage.refresh();
        break;
      case 'testModels':
        void vscode.commands.executeCommand(commandIds.testModels);
        break;
      case 'setApiKey':
        void vscode.commands.executeCommand(commandIds.setApiKey);
        break;
      case 'openSettings':
        void vscode.commands.executeCommand('workbench.action.openSettings', 'qlp.');
        break;
    }
  }

  private post(message: MessageOf<UsageViewToWebview>): void {
    void this.view?.webview.postMessage(message);
  }
}
