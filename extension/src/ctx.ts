// Owns the language client's lifecycle: start in the background, restart on command, restart
// automatically after a crash within a cap, and report its state to whoever listens.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  WorkDoneProgress,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { allocatorEnv } from '../../protocol/allocator';
import type { ProjectPlan } from '../../protocol/generate';
import type { UsageSummary } from '../../protocol/llm';
import type { IndexStatus } from '../../protocol/search';
import {
  clientNotifications,
  clientRequests,
  serverNotifications,
  serverRequests,
  type EditorLinter,
  type HealthReport,
  type NotificationParamsOf,
  type ParamsOf,
  type RequestDescriptor,
  type ResultOf,
  type SandboxProgressParams,
} from '../../protocol/lsp';
import type { ServerState } from '../../protocol/webview';
import { currentEditorLinters } from './editorLintersWatch';
import { notify, onNotification, onRequest, request } from './lspMessages';
import { RestartPolicy } from './restartPolicy';
import { redactingChannel, type Secrets } from './secrets';

/** The language client, minus one false alarm: a server that exits with code 0 did not fail. */
class QlpLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    if (/^Server process exited with code 0\.$/.test(message)) return this.info(message, data);
    super.error(message, data, showNotification);
  }
}

export interface RequestOptions {
  token?: vscode.CancellationToken;
  onProgress?(progress: { message?: string; percentage?: number }): void;
}

export class Ctx implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private state: ServerState = 'stopped';
  private detail: string | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  private readonly usageEmitter = new vscode.EventEmitter<UsageSummary>();
  private readonly validateProgressEmitter = new vscode.EventEmitter<string>();
  private readonly sandboxEmitter = new vscode.EventEmitter<SandboxProgressParams>();
  private readonly generateEmitter = new vscode.EventEmitter<NotificationParamsOf<typeof clientNotifications.generateEvent>>();
  private readonly indexStatusEmitter = new vscode.EventEmitter<IndexStatus>();
  private readonly trustEmitter = new vscode.EventEmitter<void>();
  private readonly policy: RestartPolicy;
  /** Set while we stop the client on purpose, so its close is not taken for a crash. */
  private stopping = false;
  /** Whether the running server was started in a trusted workspace. */
  private startedTrusted = false;
  /** The other linters the running server was last told about (JSON). */
  private lintersSent = '';

  readonly onDidChangeState = this.stateEmitter.event;
  /** The server's usage summary, after every model call it records. */
  readonly onDidChangeUsage = this.usageEmitter.event;
  /** What a running workspace validation is doing. */
  readonly onDidValidateProgress = this.validateProgressEmitter.event;
  /** Phases and live output of sandboxed test runs, tagged with their run id. */
  readonly onSandboxProgress = this.sandboxEmitter.event;
  /** Events of running generations, tagged with their run id. */
  readonly onGenerateEvent = this.generateEmitter.event;
  /** Answers the server's plan approvals; without one, a plan is refused (the run is cancelled). */
  planApprover: ((runId: string, plan: ProjectPlan) => Promise<ProjectPlan | null>) | undefined;
  /** The workspace index's state: progress while indexing, counts once ready. */
  readonly onDidChangeIndexStatus = this.indexStatusEmitter.event;
  /** The server has been told the workspace is now trusted. */
  readonly onDidGrantTrust = this.trustEmitter.event;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
    private readonly secrets: Secrets,
  ) {
    const max = vscode.workspace.getConfiguration('qlp').get<number>('server.maxAutomaticRestarts', 4);
    this.policy = new RestartPolicy(max);
  }

  get serverState(): ServerState {
    return this.state;
  }

  get stateDetail(): string | undefined {
    return this.detail;
  }

  /** Starts the server; resolves once it answered `initialize` (or failed to). */
  async start(): Promise<void> {
    if (this.client) return;
    const client = this.createClient();
    this.client = client;
    onRequest(client, clientRequests.secret, async ({ provider }) => {
      const key = await this.secrets.get(provider);
      return key ? { key } : {};
    });
    onNotification(client, clientNotifications.usageChanged, (summary) => this.usageEmitter.fire(summary));
    onNotification(client, clientNotifications.validateProgress, ({ message }) => this.validateProgressEmitter.fire(message));
    onNotification(client, clientNotifications.sandboxProgress, (progress) => this.sandboxEmitter.fire(progress));
    onNotification(client, clientNotifications.generateEvent, (event) => this.generateEmitter.fire(event));
    onRequest(client, clientRequests.approvePlan, async ({ runId, plan }) => ({
      plan: this.planApprover ? await this.planApprover(runId, plan) : null,
    }));
    onNotification(client, clientNotifications.indexStatus, (status) => this.indexStatusEmitter.fire(status));
    onNotification(client, clientNotifications.budgetWarning, ({ message }) => {
      this.output.warn(message);
      void vscode.window.showWarningMessage(message);
    });
    this.setState('starting');
    client.onDidChangeState(({ newState }) => {
      if (this.client !== client) return;
      if (newState === State.Running) this.setState('ready');
      else if (newState === State.Starting && this.state !== 'starting') this.setState('restarting');
    });
    const started = performance.now();
    try {
      await client.start();
      this.output.info(`Language server ready in ${Math.round(performance.now() - started)} ms.`);
      // Trust granted while the server was starting.
      if (vscode.workspace.isTrusted && this.client === client) await this.tellTrusted(client);
      // Linters that started while the server was starting.
      if (this.client === client) await this.editorLintersChanged(currentEditorLinters());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.output.error(`The QLP language server failed to start: ${message}`);
      if (this.client === client) this.setState('crashed', `Failed to start: ${message}`);
    }
  }

  /** Stops the running server (if any) and starts a fresh one; clears the crash count. */
  async restart(): Promise<void> {
    this.policy.reset();
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.stopping = true;
    try {
      if (client.state !== State.Stopped) await client.stop(2000);
    } catch (err) {
      this.output.warn(`Stopping the language server: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.stopping = false;
      await client.dispose().catch(() => undefined);
      this.setState('stopped');
    }
  }

  /**
   * The user trusted the workspace: the running server may now load the project's ESLint config
   * and run its tests. A server started later reads the trust from its initialization options.
   */
  async workspaceTrusted(): Promise<void> {
    // A server still starting is told once it is ready (see start()).
    if (this.client && this.state === 'ready') await this.tellTrusted(this.client);
    this.trustEmitter.fire();
  }

  private async tellTrusted(client: LanguageClient): Promise<void> {
    if (this.startedTrusted) return;
    this.startedTrusted = true;
    await notify(client, serverNotifications.workspaceTrusted, {});
  }

  /** Tells the running server which other linters are active now: it leaves their findings to them. */
  async editorLintersChanged(linters: EditorLinter[]): Promise<void> {
    const key = JSON.stringify(linters);
    if (!this.client || this.state !== 'ready' || key === this.lintersSent) return;
    this.lintersSent = key;
    await notify(this.client, serverNotifications.editorLinters, { linters });
  }

  /** Asks the server for its health report. */
  async health(): Promise<HealthReport> {
    return request(this.readyClient(), serverRequests.health, undefined);
  }

  /**
   * Sends a custom request. With `onProgress`, the server's work-done progress is passed on;
   * with `token`, cancelling it cancels the request on the server.
   */
  async request<D extends RequestDescriptor<unknown, unknown, 'server'>>(
    descriptor: D,
    params: ParamsOf<D>,
    options: RequestOptions = {},
  ): Promise<ResultOf<D>> {
    const client = this.readyClient();
    const send = (sent: ParamsOf<D>) => request(client, descriptor, sent, options.token);
    const { onProgress } = options;
    if (!onProgress) return send(params);
    const workDoneToken = randomUUID();
    const subscription = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind !== 'end') onProgress({ message: value.message ?? (value.kind === 'begin' ? value.title : undefined), percentage: value.percentage });
    });
    try {
      return await send({ ...(params as object), workDoneToken } as ParamsOf<D>);
    } finally {
      subscription.dispose();
    }
  }

  private readyClient(): LanguageClient {
    const client = this.client;
    if (!client || this.state !== 'ready') {
      throw new Error(`The QLP language server is ${this.state}; try again when it is ready.`);
    }
    return client;
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.usageEmitter.dispose();
    this.validateProgressEmitter.dispose();
    this.sandboxEmitter.dispose();
    this.generateEmitter.dispose();
    this.indexStatusEmitter.dispose();
    this.trustEmitter.dispose();
  }

  private setState(state: ServerState, detail?: string): void {
    this.detail = detail;
    if (state === this.state) return;
    this.state = state;
    this.stateEmitter.fire(state);
  }

  private createClient(): LanguageClient {
    const module = this.extension.asAbsolutePath('dist/server.js');
    const env = { ...process.env, ...allocatorEnv };
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { env } },
      debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const storage = this.extension.storageUri ?? this.extension.globalStorageUri;
    const clientOptions: LanguageClientOptions = {
      // Every file on disk: languages are validated by their tools, any text for secrets.
      documentSelector: [{ scheme: 'file' }],
      // File events keep the search index current (created, changed, deleted, renamed files).
      synchronize: { configurationSection: 'qlp', fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
      outputChannel: this.output,
      // Traces print message contents, and keys travel in qlp/secrets/get responses.
      traceOutputChannel: redactingChannel(this.output, this.secrets),
      // Asked at each (re)start. Untrusted (Restricted Mode), the server imports and runs nothing
      // from the workspace; trust granted while it runs reaches it as a notification.
      initializationOptions: () => {
        this.startedTrusted = vscode.workspace.isTrusted;
        const editorLinters = currentEditorLinters();
        this.lintersSent = JSON.stringify(editorLinters);
        return {
          storageDir: storage.fsPath,
          secrets: true,
          builtinTypeScript: !!vscode.extensions.getExtension('vscode.typescript-language-features'),
          workspaceTrusted: this.startedTrusted,
          editorLinters,
        };
      },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => this.onServerClosed(),
      },
    };
    return new QlpLanguageClient('qlp', 'QLP Language Server', serverOptions, clientOptions);
  }

  private onServerClosed() {
    if (this.stopping) return { action: CloseAction.DoNotRestart, handled: true };
    if (this.policy.onCrash(Date.now())) {
      this.output.warn(`The language server stopped unexpectedly; restarting (${this.policy.recentCrashes} in the last 3 minutes).`);
      this.setState('restarting');
      return { action: CloseAction.Restart, handled: true };
    }
    const message = `The QLP language server crashed ${this.policy.recentCrashes} times in 3 minutes and will not be restarted automatically; run "QLP: Restart language server" after checking the QLP output.`;
    this.output.error(message);
    this.setState('crashed', message);
    void vscode.window.showErrorMessage(message, 'Show output', 'Restart').then((choice) => {
      if (choice === 'Show output') this.output.show();
      if (choice === 'Restart') void this.restart();
    });
    return { action: CloseAction.DoNotRestart, handled: true };
  }
}
