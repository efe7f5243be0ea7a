// The "Get started with QLP" walkthrough (package.json `contributes.walkthroughs`): opening it at
// a step, the context keys that tick its steps, and opening it once on the first start when no
// model is set up yet, so a new user's first screen says where to begin.
import * as vscode from 'vscode';
import type { HealthReport } from '../../protocol/lsp';
import type { Ctx } from './ctx';
import type { EndpointId } from './modelErrors';

/** `<publisher>.<name>#<walkthrough id>`, as VS Code names an extension's walkthrough. */
export const walkthroughId = 'qlp.qlp#start';

export type WalkthroughStep = 'chooseModel' | 'replaySample' | 'generate' | 'validate' | 'search' | 'export';

/** Context keys the steps' completion events wait for. */
export const walkthroughKeys = { sampleReplayed: 'qlp.walkthrough.sampleReplayed', generated: 'qlp.walkthrough.generated' } as const;

export function openWalkthrough(step?: WalkthroughStep): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', step ? { category: walkthroughId, step } : walkthroughId, false);
}

export function markStep(key: keyof typeof walkthroughKeys): void {
  void vscode.commands.executeCommand('setContext', walkthroughKeys[key], true);
}

/** The base URL each provider is called at, as the server reports it. */
export function providerUrls(report: HealthReport): Partial<Record<EndpointId, string>> {
  return Object.fromEntries(report.machine.providers.flatMap((p) => (p.baseUrl ? [[p.id, p.baseUrl]] : [])));
}

const shownKey = 'qlp.walkthrough.shownOnFirstStart';

/**
 * Once per installation: when the server first reports ready and no provider is configured, the
 * walkthrough opens (unless the user turned off VS Code's `workbench.welcomePage.walkthroughs.openOnInstall`,
 * or the folder is not trusted: its trust question comes first, and Restricted Mode limits QLP anyway).
 */
export function openOnFirstStart(context: vscode.ExtensionContext, server: Pick<Ctx, 'onDidChangeState' | 'health'>): vscode.Disposable {
  if (context.globalState.get<boolean>(shownKey) || !vscode.workspace.isTrusted) return new vscode.Disposable(() => undefined);
  const subscription = server.onDidChangeState(async (state) => {
    if (state !== 'ready') return;
    subscription.dispose();
    await context.globalState.update(shownKey, true);
    if (!vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)) return;
    const report = await server.health().catch(() => undefined);
    if (report && !report.machine.providers.some((p) => p.configured)) await openWalkthrough();
  });
  return subscription;
}
