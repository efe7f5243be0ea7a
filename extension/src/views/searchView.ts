// The QLP Search view: queries go to the server's index; a result opens its file at its range.
import * as vscode from 'vscode';
import { serverRequests } from '../../../protocol/lsp';
import type { MessageOf, SearchViewFromWebview, SearchViewToWebview } from '../../../protocol/webview';
import type { Ctx } from '../ctx';
import { showWebviewPage } from '../webviewHtml';

export const searchViewId = 'qlp.search';

/** Opens a workspace-relative path with lines [startLine, endLine] (1-based) selected. */
export async function openResult(path: string, startLine: number, endLine: number): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return;
  const range = new vscode.Range(startLine - 1, 0, endLine - 1, 0);
  await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, path), { selection: new vscode.Range(range.start, range.start), preview: true });
  vscode.window.activeTextEditor?.revealRange(range, vscode.TextEditorRevealType.AtTop);
}

export class SearchViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private page: { ready(): void } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.subscriptions.push(ctx.onDidChangeIndexStatus((status) => this.post({ type: 'status', status })));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.page = showWebviewPage(view, this.extensionUri, { title: 'QLP Search', script: 'search' });
    view.webview.onDidReceiveMessage((m: MessageOf<SearchViewFromWebview>) => void this.onMessage(m), undefined, this.subscriptions);
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private async onMessage(m: MessageOf<SearchViewFromWebview>): Promise<void> {
    try {
      if (m.type === 'ready') {
        this.page?.ready();
        this.post({ type: 'status', status: await this.ctx.request(serverRequests.indexStatus, {}) });
      } else if (m.type === 'search') {
        const { results } = await this.ctx.request(serverRequests.search, { query: m.query, limit: 30 }).catch((err: Error) => {
          this.post({ type: 'searchError', seq: m.seq, message: err.message });
          throw err;
        });
        this.post({ type: 'results', seq: m.seq, results });
      } else if (m.type === 'open') {
        await openResult(m.path, m.startLine, m.endLine);
      } else if (m.type === 'reindex') {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'QLP: re-indexing the workspace', cancellable: true },
          (_p, token) => this.ctx.request(serverRequests.indexRebuild, {}, { token }),
        );
      }
    } catch (err) {
      this.ctx.output.warn(`Search view: ${(err as Error).message}`);
    }
  }

  private post(message: MessageOf<SearchViewToWebview>): void {
    void this.view?.webview.postMessage(message);
  }
}
