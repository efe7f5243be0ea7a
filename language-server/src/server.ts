// Wires LSP handlers to the engine; holds no engine logic of its own.
import {
  LSPErrorCodes,
  NotificationType,
  RequestType,
  ResponseError,
  RequestType0,
  type CancellationToken,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import {
  clientNotifications,
  clientRequests,
  serverRequests,
  type HealthReport,
  type ModelProbeParams,
  type ModelProbeResult,
  type SandboxProgressParams,
  type SandboxRunParams,
  type SecretRequestParams,
  type SecretRequestResult,
} from '../../protocol/lsp';
import type { TestRunResult } from '../../protocol/sandbox';
import type { UsageSummary } from '../../protocol/llm';
import { ModelHost } from './llm/modelHost';
import { probeMachine } from './machine/report';
import { defaultStorageDir } from './machine/storage';
import { SandboxHost } from './sandbox/sandboxHost';
import { qlpVersion } from './version';

/** What the extension passes in `initializationOptions` (never secrets). */
export interface InitializationOptions {
  /** A folder the server may write to (the extension's workspace storage). */
  storageDir?: string;
  /** True when the client answers `qlp/secrets/get` from its SecretStorage. */
  secrets?: boolean;
}

const startedAt = Date.now();

const secretRequest = new RequestType<SecretRequestParams, SecretRequestResult, void>(clientRequests.secret.method);
const usageChanged = new NotificationType<UsageSummary>(clientNotifications.usageChanged.method);
const budgetWarning = new NotificationType<{ message: string }>(clientNotifications.budgetWarning.method);
const sandboxProgress = new NotificationType<SandboxProgressParams>(clientNotifications.sandboxProgress.method);

/** An LSP cancellation token as an AbortSignal, for engine services. */
function toSignal(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

export function wireServer(connection: Connection): void {
  let storageDir = defaultStorageDir();
  let editorAnswersSecrets = false;
  let editorHasConfiguration = false;

  const models = new ModelHost({
    dataDir: defaultStorageDir(),
    env: process.env,
    editorSettings: async () => (editorHasConfiguration ? connection.workspace.getConfiguration('qlp') : undefined),
    editorKey: async (provider) => (editorAnswersSecrets ? (await connection.sendRequest(secretRequest, { provider })).key : undefined),
    onUsageChanged: (summary) => void connection.sendNotification(usageChanged, summary),
    onBudgetWarning: (message) => void connection.sendNotification(budgetWarning, { message }),
  });

  const sandbox = new SandboxHost({
    storageDir: defaultStorageDir(),
    env: process.env,
    editorSettings: async () => (editorHasConfiguration ? connection.workspace.getConfiguration('qlp') : undefined),
  });

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof options.storageDir === 'string' && options.storageDir) storageDir = options.storageDir;
    editorAnswersSecrets = options.secrets === true;
    editorHasConfiguration = params.capabilities.workspace?.configuration === true;
    return {
      capabilities: {},
      serverInfo: { name: 'qlp', version: qlpVersion },
    };
  });

  connection.onRequest(new RequestType0<HealthReport, void>(serverRequests.health.method), async () => ({
    version: qlpVersion,
    uptimeMs: Date.now() - startedAt,
    pid: process.pid,
    machine: await probeMachine({ env: process.env, storageDir, providers: await models.providerProbes() }),
  }));

  connection.onRequest(new RequestType0<UsageSummary, void>(serverRequests.usageSummary.method), () => models.summary());

  connection.onRequest(new RequestType<ModelProbeParams, ModelProbeResult, void>(serverRequests.modelsProbe.method), (params, token) =>
    models.probe(params ?? {}, toSignal(token)),
  );

  connection.onRequest(new RequestType<SandboxRunParams, TestRunResult, void>(serverRequests.sandboxRun.method), async (params, token) => {
    const result = await sandbox.run(params, toSignal(token), (progress) => void connection.sendNotification(sandboxProgress, { runId: params.runId, ...progress }));
    // The run has stopped and cleaned up; a cancelled request answers as LSP says it should.
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, result.error ?? 'The test run was cancelled.');
    return result;
  });
}
