// One generation as the editor runs it: the LSP request (cancelled through its token), its events
// routed by run id, a cancellable progress notification that mirrors the phases while the panel is
// closed (the open panel has its own Cancel), and a history of what the panel was told so a
// reopened panel can show the run so far.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { GenerateParams, GenerationEvent, GenerationResult, ProjectPlan } from '../../../protocol/generate';
import { serverRequests } from '../../../protocol/lsp';
import type { GeneratePanelToWebview, MessageOf } from '../../../protocol/webview';
import type { Ctx } from '../ctx';

export type PanelMessage = MessageOf<GeneratePanelToWebview>;

export interface RunHost {
  /** Shows a message in the panel, if one is open. */
  post(message: PanelMessage): void;
  /** Asks the user to approve (or edit) the plan; null cancels. */
  approve(plan: ProjectPlan): Promise<ProjectPlan | null>;
  /** The user cancelled the run (a plan waiting for approval is then refused). */
  cancelled(): void;
  /** Called once when the run has ended, however it ended. */
  ended(run: GenerationRun): void;
  /** The panel's error message for a failed or cancelled run: the sentence and the ways forward. */
  failure(message: string, cancelled: boolean): Promise<PanelMessage>;
}

/** Text deltas kept for a reopened panel; older output is dropped from the history. */
const historyTextChars = 200_000;

export class GenerationRun implements vscode.Disposable {
  readonly runId = randomUUID();
  readonly history: PanelMessage[] = [];
  result: GenerationResult | undefined;
  /** Why the run failed (not set for a cancel). */
  error: string | undefined;
  private readonly cancellation = new vscode.CancellationTokenSource();
  private readonly subscription: vscode.Disposable;
  private historyText = 0;
  private finished = false;
  private report: ((message: string) => void) | undefined;
  /** Ends the progress notification, while one is shown. */
  private endNotification: (() => void) | undefined;
  private lastPhase = '';

  constructor(
    private readonly ctx: Ctx,
    readonly params: GenerateParams,
    private readonly host: RunHost,
  ) {
    this.subscription = ctx.onGenerateEvent(({ runId, event }) => runId === this.runId && this.onEvent(event));
  }

  get running(): boolean {
    return !this.finished;
  }

  cancel(): void {
    this.cancellation.cancel();
    this.host.cancelled();
  }

  approve(plan: ProjectPlan): Promise<ProjectPlan | null> {
    this.report?.(`Waiting for the plan to be approved (${plan.files.length} files)`);
    return this.host.approve(plan);
  }

  /** A cancellable progress notification follows the run until it ends or `unfollow` is called. */
  follow(): void {
    if (this.finished || this.endNotification) return;
    const ended = new Promise<void>((resolve) => (this.endNotification = resolve));
    const title = `QLP: ${this.params.replay ? 'Replaying the sample into' : 'Generating'} ${this.params.folder.split(/[\\/]/).pop()}`;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => this.cancel());
      this.report = (message) => progress.report({ message });
      if (this.lastPhase) progress.report({ message: this.lastPhase });
      return ended;
    });
  }

  unfollow(): void {
    this.endNotification?.();
    this.endNotification = undefined;
    this.report = undefined;
  }

  /** Runs to the end; the outcome (result or error) goes to the panel and the history. */
  async run(): Promise<void> {
    this.send({
      type: 'started',
      folder: this.params.folder,
      stack: this.params.stack ?? '',
      ...(this.params.replay ? { replay: true, requirements: this.params.requirements } : {}),
    });
    try {
      const result = await this.ctx.request(
        serverRequests.generateStart,
        { ...this.params, runId: this.runId, approvePlan: !this.params.replay },
        { token: this.cancellation.token },
      );
      this.result = result;
      this.send({ type: 'result', result });
      this.ctx.output.info(
        `Generation ${result.generationId} ${result.status} in ${Math.round(result.durationMs / 1000)} s: ${result.folder}${result.reasons.length ? ` (${result.reasons.join('; ')})` : ''}`,
      );
      this.notifyEnd(result);
    } catch (err) {
      const cancelled = this.cancellation.token.isCancellationRequested;
      const message = cancelled ? 'Generation cancelled; the target folder was left as it was.' : err instanceof Error ? err.message : String(err);
      this.ctx.output.warn(`Generation: ${message}`);
      this.error = cancelled ? undefined : message;
      this.send(await this.host.failure(message, cancelled));
      if (this.endNotification && !cancelled) {
        void vscode.window
          .showErrorMessage(`QLP: the generation failed: ${message}`, 'Show the panel')
          .then((choice) => choice && vscode.commands.executeCommand('qlp.generateProject'));
      }
    } finally {
      this.finished = true;
      this.unfollow();
      this.host.ended(this);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.cancellation.dispose();
  }

  private onEvent(event: GenerationEvent): void {
    if (event.kind === 'phase') {
      this.lastPhase = event.message;
      this.report?.(event.message);
    }
    this.send({ type: 'event', event });
  }

  private send(message: PanelMessage): void {
    const text = message.type === 'event' && message.event.kind === 'text' ? message.event.delta.length : 0;
    this.historyText += text;
    if (!text || this.historyText <= historyTextChars) this.history.push(message);
    this.host.post(message);
  }

  /** For users who closed the panel (the notification followed the run): the outcome. */
  private notifyEnd(result: GenerationResult): void {
    if (!this.endNotification) return;
    const name = result.folder.split(/[\\/]/).pop();
    const tests = result.tests ? `, tests ${result.tests.passed} passed, ${result.tests.failed} failed` : '';
    if (result.status === 'verified') void vscode.window.showInformationMessage(`QLP generated ${name}: verified${tests}.`);
    else void vscode.window.showWarningMessage(`QLP generated ${name}: ${result.status} — ${result.reasons.join('; ') || 'see the panel'}.`);
  }
}
