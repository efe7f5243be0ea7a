// Wires LSP handlers to the engine; holds no engine logic of its own.
import { NotificationType, RequestType, RequestType0, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import {
  clientNotifications,
  clientRequests,
  serverRequests,
  type HealthReport,
  type ModelProbeParams,
  type ModelProbeResult,
  type SecretRequestParams,
  type SecretRequestResult,
} from '../../protocol/lsp';
import type { UsageSummary } from '../../protocol/llm';
import { ModelHost } from './llm/modelHost';
import { toSignal } from './lspSignal';
import { probeMachine } from './machine/report';
import { defaultStorageDir } from './machine/storage';
import { wireValidation } from './serverValidation';
import { qlpVersion } from './version';

/** What the extension passes in `initializationOptions` (never secrets). */
export interface InitializationOptions {
  /** A folder the server may write to (the extension's workspace storage). */
  storageDir?: string;
  /** True when the client answers `qlp/secrets/get` from its SecretStorage. */
  secrets?: boolean;
}

const startedAt = Date.now();
const machineProbeTtlMs = 5000;

const secretRequest = new RequestType<SecretRequestParams, SecretRequestResult, void>(clientRequests.secret.method);
const usageChanged = new NotificationType<UsageSummary>(clientNotifications.usageChanged.method);
const budgetWarning = new NotificationType<{ message: string }>(clientNotifications.budgetWarning.method);

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

  const validation = wireValidation(connection);
  connection.onShutdown(() => validation.dispose());

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof options.storageDir === 'string' && options.storageDir) storageDir = options.storageDir;
    editorAnswersSecrets = options.secrets === true;
    editorHasConfiguration = params.capabilities.workspace?.configuration === true;
    validation.initialize(params);
    return {
      capabilities: { ...validation.capabilities },
      serverInfo: { name: 'qlp', version: qlpVersion },
    };
  });

  // The machine's facts (Docker, bubblewrap, storage) are re-probed in the background once they
  // are a few seconds old, so a health request answers at once; providers are always current.
  let machineProbe: { at: number; storageDir: string; report: ReturnType<typeof probeMachine> } | undefined;
  let reprobing = false;
  const probe = () => ({ at: Date.now(), storageDir, report: probeMachine({ env: process.env, storageDir, providers: [] }) });
  const machine = async () => {
    if (!machineProbe || machineProbe.storageDir !== storageDir) machineProbe = probe();
    const current = machineProbe;
    if (Date.now() - current.at > machineProbeTtlMs && !reprobing) {
      reprobing = true;
      const next = probe();
      void next.report.finally(() => {
        reprobing = false;
        if (machineProbe === current) machineProbe = next;
      });
    }
    return { ...(await current.report), providers: await models.providerProbes() };
  };

  connection.onRequest(new RequestType0<HealthReport, void>(serverRequests.health.method), async () => ({
    version: qlpVersion,
    uptimeMs: Date.now() - startedAt,
    pid: process.pid,
    machine: await machine(),
  }));

  connection.onRequest(new RequestType0<UsageSummary, void>(serverRequests.usageSummary.method), () => models.summary());

  connection.onRequest(new RequestType<ModelProbeParams, ModelProbeResult, void>(serverRequests.modelsProbe.method), (params, token) =>
    models.probe(params ?? {}, toSignal(token)),
  );
}
