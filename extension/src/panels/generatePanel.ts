// The generation panel (a webview in the editor area): it collects the requirements, stack, tier
// and folder, starts a run (or replays the shipped sample), shows the plan for approval and the
// run as it goes, offers the end actions, and after a failure the ways forward. One panel and one
// run at a time; a run outlives its panel.
import * as vscode from 'vscode';
import type { GenerateParams, ProjectPlan } from '../../../protocol/generate';
import { serverRequests } from '../../../protocol/lsp';
import type { GeneratePanelAction, GeneratePanelFromWebview, MessageOf } from '../../../protocol/webview';
import { commandIds } from '../commands/ids';
import type { CommandDeps } from '../commands/index';
import { openProviderSettings } from '../commands/testModels';
import { classifyModelFailure, explainModelError } from '../modelErrors';
import { markStep, openWalkthrough, providerUrls } from '../walkthrough';
import { showWebviewPage } from '../webviewHtml';
import { endActionTarget, defaultFolderName, resolveTarget } from './generateTarget';
import { GenerationRun, type PanelMessage, type RunHost } from './generationRun';

export const generatePanelType = 'qlp.generate';

/** What the command may ask for: `{ replay: 'sample' }` replays the shipped sample (the walkthrough's button). */
function wantsSampleReplay(request: unknown): boolean {
  return typeof request === 'object' && request !== null && (request as { replay?: unknown }).replay === 'sample';
}

/** The sample's requirements, for the panel to show what the replay builds (samples/adder, as the engine reads it). */
async function sampleRequirements(extensionUri: vscode.Uri): Promise<string> {
  try {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'samples', 'adder', 'capsule.json'));
    const { requirements } = JSON.parse(Buffer.from(bytes).toString('utf8')) as { requirements?: unknown };
    return typeof requirements === 'string' ? requirements : '';
  } catch {
    // The engine says what is wrong with the sample when it replays it.
    return '';
  }
}

const noModelMessage =
  "No model is set up yet. Generating needs a hosted provider's API key or a local model server (Ollama, LM Studio, llama.cpp, vLLM). The sample replays a recorded generation without one.";

export class GeneratePanel implements RunHost {
  private panel: vscode.WebviewPanel | undefined;
  private page: { ready(): void } | undefined;
  private run: GenerationRun | undefined;
  private approval: { plan: ProjectPlan; resolve(plan: ProjectPlan | null): void } | undefined;
  private lastRequirements = '';
  private initialized = false;
  /** The last run's parameters, for Retry. */
  private lastParams: GenerateParams | undefined;
  /** A replay asked for before the page was ready. */
  private pendingReplay = false;
  /** The user refused the plan: the run's end is no failure to offer a way out of. */
  private refused = false;

  constructor(private readonly deps: CommandDeps) {
    deps.ctx.planApprover = (runId, plan) => (this.run?.runId === runId ? this.run.approve(plan) : Promise.resolve(null));
  }

  show(request?: unknown): void {
    const replay = wantsSampleReplay(request);
    // The open panel shows the run and has its own Cancel: no notification besides it.
    this.run?.unfollow();
    if (this.panel) {
      this.panel.reveal();
      if (replay) void this.startReplay().catch((err) => this.fail(err));
      return;
    }
    this.pendingReplay = replay;
    const panel = vscode.window.createWebviewPanel(generatePanelType, 'QLP: Generate project', vscode.ViewColumn.Active, { retainContextWhenHidden: true });
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'qlp.svg');
    this.panel = panel;
    this.page = showWebviewPage(panel, this.deps.extensionUri, { title: 'QLP: Generate project', script: 'generate', style: 'generate' });
    panel.webview.onDidReceiveMessage((message: MessageOf<GeneratePanelFromWebview>) => void this.onMessage(message).catch((err) => this.fail(err)));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.initialized = false;
      if (this.run?.running) this.run.follow();
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
    if (!run.result) return;
    this.deps.refreshCapsules();
    markStep(run.params.replay ? 'sampleReplayed' : 'generated');
  }

  /** The sentence a failed run ends with, naming the URL it tried, and the ways forward. */
  async failure(message: string, cancelled: boolean): Promise<PanelMessage> {
    const refused = this.refused;
    this.refused = false;
    if (cancelled || refused) return { type: 'error', message, cancelled: true };
    const kind = classifyModelFailure(message);
    if (kind === 'noModel') return { type: 'error', message: noModelMessage, actions: ['setUpModel', 'replaySample', 'openSettings'] };
    if (kind === 'other') return { type: 'error', message, actions: ['retry', 'showOutput'] };
    const urls = await this.deps.ctx.health().then(providerUrls, () => ({}));
    return { type: 'error', message: explainModelError(message, urls), actions: ['retry', 'openSettings', 'setUpModel'] };
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
        this.refused = true;
        return this.settleApproval(null);
      case 'action':
        return this.onAction(message.action);
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
    if (this.pendingReplay) {
      this.pendingReplay = false;
      await this.startReplay();
    }
  }

  private async onAction(action: GeneratePanelAction): Promise<void> {
    switch (action) {
      case 'retry':
        if (this.lastParams) return this.launch(this.lastParams);
        return;
      case 'setUpModel':
        return void openWalkthrough('chooseModel');
      case 'replaySample':
        return this.startReplay();
      case 'openSettings':
        return void openProviderSettings(this.run?.error ?? '');
      case 'showOutput':
        return void vscode.commands.executeCommand(commandIds.showOutput);
    }
  }

  /** Replays the shipped sample into a new folder (`qlp-sample`, `qlp-sample-2`…): no model needed. */
  private async startReplay(): Promise<void> {
    if (this.run?.running) return void vscode.window.showWarningMessage('A generation is already running; cancel it or wait for it to end.');
    const target = await resolveTarget(await defaultFolderName('qlp-sample'));
    if (target) await this.launch({ requirements: await sampleRequirements(this.deps.extensionUri), folder: target.folder, replay: 'sample' });
  }

  private async start(message: MessageOf<GeneratePanelFromWebview> & { type: 'start' }): Promise<void> {
    if (this.run?.running) return void vscode.window.showWarningMessage('A generation is already running; cancel it or wait for it to end.');
    const target = await resolveTarget(message.folder);
    if (!target) return;
    this.lastRequirements = message.requirements;
    await this.launch({
      requirements: message.requirements,
      folder: target.folder,
      ...(message.stack && message.stack !== 'auto' ? { stack: message.stack } : {}),
      ...(message.tier !== 'auto' ? { tier: message.tier } : {}),
      ...(target.allowExisting ? { allowExisting: true } : {}),
    });
  }

  private async launch(params: GenerateParams): Promise<void> {
    if (this.run?.running) return void vscode.window.showWarningMessage('A generation is already running; cancel it or wait for it to end.');
    this.lastParams = params;
    this.refused = false;
    this.run?.dispose();
    const run = new GenerationRun(this.deps.ctx, params, this);
    this.run = run;
    if (!this.panel) run.follow();
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
    this.post({ type: 'error', message, actions: ['showOutput'] });
  }
}
