// The HTML shell every QLP webview uses: a strict CSP with a per-load nonce, and only the
// extension's own scripts and styles (through asWebviewUri).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  title: string;
  /** The bundle under dist/webview, e.g. `status` for dist/webview/status.js. */
  script: string;
  /** An extra stylesheet under media/, e.g. `generate` for media/generate.css. */
  style?: string;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('dist', 'webview', 'codicon.css')}" id="vscode-codicon-stylesheet">
  <link rel="stylesheet" href="${asset('media', 'webview.css')}">${page.style ? `\n  <link rel="stylesheet" href="${asset('media', `${page.style}.css`)}">` : ''}
  <title>${page.title}</title>
</head>
<body>
  <main id="root" aria-live="polite"></main>
  <script type="module" nonce="${nonce}" src="${asset('dist', 'webview', `${page.script}.js`)}"></script>
</body>
</html>`;
}

/** A webview view or panel: what showWebviewPage needs of either. */
type WebviewHost = Pick<vscode.WebviewView, 'webview' | 'onDidDispose'>;

/**
 * Sets up a webview view or panel: scripts on, only dist/ and media/ reachable, the page's HTML. Until the
 * page says it is ready (call `ready()`), the HTML is set again after 4, 8, 16, 32 and 64 s: in the
 * browser VS Code a view's first load can lose its script to a resource loader that is still
 * starting, and would otherwise stay blank. The waits double so that a load that is only slow
 * (a busy machine) gets the time to finish instead of being started over.
 */
export function showWebviewPage(view: WebviewHost, extensionUri: vscode.Uri, page: WebviewPage): { ready(): void } {
  view.webview.options = {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
  view.webview.html = webviewHtml(view.webview, extensionUri, page);
  let timer: NodeJS.Timeout | undefined;
  const reloadAfter = (ms: number) => {
    timer = setTimeout(() => {
      view.webview.html = webviewHtml(view.webview, extensionUri, page);
      if (ms < 64_000) reloadAfter(ms * 2);
    }, ms);
  };
  reloadAfter(4000);
  const stop = () => clearTimeout(timer);
  view.onDidDispose(stop);
  return { ready: stop };
}
