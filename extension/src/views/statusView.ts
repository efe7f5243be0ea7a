// The QLP Status view: the language server's state, what the machine offers, what Restricted
// Mode holds back and what the latest validations could not check (qlp/health).
import * as vscode from 'vscode';
import type { MessageOf, StatusViewFromWebview, StatusViewToWebview } from '../../../protocol/webview';
import type { Ctx } from '../ctx';
import { commandIds } from '../commands/ids';
import { showWebviewPage } from '../webviewHtml';

export const statusViewId = 'qlp.status';

export class StatusViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private page: { ready(): void } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.subscriptions.push(
      ctx.onDidChangeState(() => this.refresh()),
      ctx.onDidGrantTrust(() => this.refresh()),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.page = showWebviewPage(view, this.extensionUri, { title: 'QLP Status', script: 'status' });
    view.webview.onDidReceiveMessage((message: MessageOf<StatusViewFromWebview>) => this.onMessage(message), undefined, this.subscriptions);
    view.onDidChangeVisibility(() => view.visible && this.refresh(), undefined, this.subscriptions);
  }

  /** Sends the current state and, when the server is ready, a fresh health report. */
  async refresh(): Promise<void> {
    if (!this.view) return;
    this.post({ type: 'state', state: this.ctx.serverState, ...(this.ctx.stateDetail ? { detail: this.ctx.stateDetail } : {}) });
    if (this.ctx.serverState !== 'ready') return;
    try {
      this.post({ type: 'health', report: await this.ctx.health() });
    } catch (err) {
      this.post({ type: 'healthError', message: err instanceof Error ? err.message : String(err) });
    }
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private onMessage(message: MessageOf<StatusViewFromWebview>): void {
    switch (message.type) {
      case 'ready':
        this.page?.ready();
        void this.refresh();
        break;
      case 'refresh':
        void this.refresh();
        break;
      case 'restartServer':
        void vscode.commands.executeCommand(commandIds.restartServer);
        break;
      case 'showOutput':
        void vscode.commands.executeCommand(commandIds.showOutput);
        break;
      case 'manageTrust':
        void vscode.commands.executeCommand('workbench.trust.manage');
        break;
    }
  }

  private post(message: MessageOf<StatusViewToWebview>): void {
    void this.view?.webview.postMessage(message);
  }
}
