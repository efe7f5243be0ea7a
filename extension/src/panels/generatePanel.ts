// The generation panel (a webview in the editor area): it collects the requirements, stack, tier
// and folder, starts a run, shows the plan for approval and the run as it goes, and offers the
// end actions. One panel and one run at a time; a run outlives its panel.
import * as vscode from 'vscode';
import type { ProjectPlan } from '../../../protocol/generate';
import { serverRequests } from '../../../protocol/lsp';
import type { GeneratePanelFromWebview, MessageOf } from '../../../protocol/webview';
import { commandIds } from '../commands/ids';
import type { CommandDeps } from '../commands/index';
import { showWebviewPage } from '../webviewHtml';
import { endActionTarget, defaultFolderName, resolveTarget } from './generateTarget';
import { GenerationRun, type PanelMessage, type RunHost } from './generationRun';

export const generatePanelType = 'qlp.generate';

export class GeneratePanel implements RunHost {
  private panel: vscode.WebviewPanel | undefined;
  private page: { ready(): void } | undefined;
  private run: GenerationRun | undefined;
  private approval: { plan: ProjectPlan; resolve(plan: ProjectPlan | null): void } | undefined;
  private lastRequirements = '';
  private initialized = false;

  constructor(private readonly deps: CommandDeps) {
    deps.ctx.planApprover = (runId, plan) => (this.run?.runId === runId ? this.run.approve(plan) : Promise.resolve(null));
  }

  show(): void {
    if (this.panel) return this.panel.reveal();
    const panel = vscode.window.createWebviewPanel(generatePanelType, 'QLP: Generate project', vscode.ViewColumn.Active, { retainContextWhenHidden: true });
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'qlp.svg');
    this.panel = panel;
    this.page = showWebviewPage(panel, this.deps.extensionUri, { title: 'QLP: Generate project', script: 'generate', style: 'generate' });
    panel.webview.onDidReceiveMessage((message: MessageOf<GeneratePanelFromWebview>) => void this.onMessage(message).catch((err) => this.fail(err)));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.initialized = false;
      // A plan waiting in the closed panel is asked for in a notification instead.
      if (this.approval) this.askInNotification(this.approval.plan);
    });
  }

  post(message: PanelMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  /** In the panel when it is open, else in a notification; settled once, by whichever answers. */
  approve(plan: ProjectPlan): Promise<ProjectPlan | null> {
    return new Promise((resolve) => {
      this.approval = { plan, resolve };
      if (this.panel) this.post({ type: 'approve', plan });
      else this.askInNotification(plan);
    });
  }

  /** The server waits for a plan's approval whatever happens: a cancel refuses it. */
  cancelled(): void {
    this.settleApproval(null);
  }

  ended(run: GenerationRun): void {
    this.settleApproval(null);
    if (run.result) this.deps.refreshCapsules();
  }

  private askInNotification(plan: ProjectPlan): void {
    void vscode.window.showInformationMessage(`Approve plan (${plan.files.length} files)?`, 'Approve', 'Cancel').then((choice) => {
      // A late answer to an older plan is ignored.
      if (this.approval?.plan === plan) this.settleApproval(choice === 'Approve' ? plan : null);
    });
  }

  private settleApproval(answer: ProjectPlan | null): void {
    const pending = this.approval;
    this.approval = undefined;
    pending?.resolve(answer);
  }

  private async onMessage(message: MessageOf<GeneratePanelFromWebview>): Promise<void> {
    switch (message.type) {
      case 'ready':
        // The page repeats `ready` until it hears back: answer it once per panel.
        if (this.initialized) return;
        this.initialized = true;
        this.page?.ready();
        return this.sendInit();
      case 'start':
        return this.start(message);
      case 'approve':
        return this.settleApproval(message.plan);
      case 'rejectPlan':
        return this.settleApproval(null);
      case 'cancel':
        return this.run?.cancel();
      case 'openFolder':
        return this.openFolder();
      case 'showDiff':
      case 'exportCapsule': {
        const target = await endActionTarget(this.deps.ctx, this.run?.result);
        if (!target) return void vscode.window.showWarningMessage('This generation left no capsule to show.');
        return void vscode.commands.executeCommand(message.type === 'showDiff' ? commandIds.compareWithPrevious : commandIds.exportCapsule, target);
      }
    }
  }

  private async sendInit(): Promise<void> {
    const { stacks, defaultStack } = await this.deps.ctx.request(serverRequests.generateStacks, undefined);
    this.post({ type: 'init', stacks, defaultStack, folder: await defaultFolderName(), requirements: this.lastRequirements });
    // A reopened panel catches up with the run so far.
    for (const message of this.run?.history ?? []) this.post(message);
  }

  private async start(message: MessageOf<GeneratePanelFromWebview> & { type: 'start' }): Promise<void> {
    if (this.run?.running) return void vscode.window.showWarningMessage('A generation is already running; cancel it or wait for it to end.');
    const target = await resolveTarget(message.folder);
    if (!target) return;
    this.lastRequirements = message.requirements;
    this.run?.dispose();
    const run = new GenerationRun(
      this.deps.ctx,
      {
        requirements: message.requirements,
        folder: target.folder,
        ...(message.stack && message.stack !== 'auto' ? { stack: message.stack } : {}),
        ...(message.tier !== 'auto' ? { tier: message.tier } : {}),
        ...(target.allowExisting ? { allowExisting: true } : {}),
      },
      this,
    );
    this.run = run;
    await run.run();
  }

  private async openFolder(): Promise<void> {
    const result = this.run?.result;
    if (!result) return;
    const folder = vscode.Uri.file(result.folder);
    await vscode.commands.executeCommand('revealInExplorer', folder);
    const readme = result.files.find((f) => /^readme(\.md)?$/i.test(f));
    if (readme) await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, readme), { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  private fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.deps.ctx.output.warn(`Generation panel: ${message}`);
    this.post({ type: 'error', message });
  }
}
