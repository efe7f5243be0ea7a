// Activation: register everything synchronously, start the language server in the background.
import * as vscode from 'vscode';
import { serverRequests } from '../../protocol/lsp';
import type { QlpApi } from './api';
import { CapsuleDocuments, capsuleScheme } from './capsules/documents';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { watchEditorLinters } from './editorLintersWatch';
import { featureKeys, shippedFeatures } from './features';
import { Secrets } from './secrets';
import { createStatusBar } from './statusBar';
import { createUsageStatus, UsageModel } from './usage';
import { CapsulesView } from './views/capsulesView';
import { StatusViewProvider, statusViewId } from './views/statusView';
import { SearchViewProvider, searchViewId } from './views/searchView';
import { UsageViewProvider, usageViewId } from './views/usageView';
import { openOnFirstStart } from './walkthrough';

let ctx: Ctx | undefined;

const keepAlive = { webviewOptions: { retainContextWhenHidden: true } };

export function activate(context: vscode.ExtensionContext): QlpApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('QLP', { log: true });
  const sandboxOutput = vscode.window.createOutputChannel('QLP Sandbox');
  const secrets = new Secrets(context.secrets);
  ctx = new Ctx(context, output, secrets);
  const statusView = new StatusViewProvider(ctx, context.extensionUri);
  const usage = new UsageModel(ctx);
  const capsulesView = new CapsulesView(ctx);

  context.subscriptions.push(
    output,
    sandboxOutput,
    ctx,
    statusView,
    usage,
    createStatusBar(ctx.onDidChangeState, 'starting'),
    createUsageStatus(usage),
    // The views keep their page while hidden: switching containers never leaves one blank or loses a search.
    // Status and Usage draw their data again whenever they are shown, so they need no keep-alive (and a
    // view without one gets a new frame when collapsed and expanded, the way out of a frame that never loaded).
    vscode.window.registerWebviewViewProvider(statusViewId, statusView),
    vscode.window.registerWebviewViewProvider(usageViewId, new UsageViewProvider(usage, context.extensionUri)),
    vscode.window.registerWebviewViewProvider(searchViewId, new SearchViewProvider(ctx, context.extensionUri), keepAlive),
    capsulesView.register(),
    vscode.workspace.registerTextDocumentContentProvider(capsuleScheme, new CapsuleDocuments(ctx)),
    // Workspace Trust: QLP works in Restricted Mode with its own rules; granted trust reaches the server.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void ctx?.workspaceTrusted()),
    // Other linters coming and going (ESLint, Ruff, Pylance…): QLP leaves what they show to them.
    watchEditorLinters((linters) => void ctx?.editorLintersChanged(linters)),
    openOnFirstStart(context, ctx),
    ...registerCommands({
      ctx,
      secrets,
      sandboxOutput,
      refreshStatus: () => void statusView.refresh(),
      refreshCapsules: () => capsulesView.refresh(),
      extensionUri: context.extensionUri,
    }),
  );
  for (const feature of shippedFeatures) void vscode.commands.executeCommand('setContext', featureKeys[feature], true);

  // Never block activation on the server: it starts once activate() has returned.
  const client = ctx;
  setImmediate(() => void client.start());

  const activationMs = performance.now() - started;
  output.info(`QLP activated in ${activationMs.toFixed(1)} ms.`);
  return {
    activationMs,
    get serverState() {
      return client.serverState;
    },
    onDidChangeServerState: client.onDidChangeState,
    health: () => client.health(),
    capsules: async () => (await client.request(serverRequests.capsuleList, {})).capsules,
  };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
