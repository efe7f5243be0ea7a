// Wires LSP handlers to the engine; holds no engine logic of its own.
import { fileURLToPath } from 'node:url';
import {
  NotificationType,
  RequestType,
  RequestType0,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import {
  clientNotifications,
  clientRequests,
  serverNotifications,
  serverRequests,
  type HealthReport,
  type SandboxProgressParams,
  type SecretRequestParams,
  type SecretRequestResult,
} from '../../../protocol/lsp';
import type { UsageSummary } from '../../../protocol/llm';
import { CapsuleInputError } from '../capsule/errors';
import { CancelledError } from '../common/cancellation';
import type { CapsuleService } from '../capsule/service';
import { ModelHost } from '../llm/modelHost';
import { handle } from './handle';
import { probeMachine } from '../machine/report';
import { defaultStorageDir } from '../machine/storage';
import { SandboxHost } from '../sandbox/sandboxHost';
import { SandboxInputError } from '../sandbox/types';
import { wireGeneration } from './wireGenerate';
import { SyncHost } from '../sync/syncHost';
import { wireIndex } from './wireIndex';
import { wireValidation } from './wireValidation';
import { sandboxRunTests } from '../validate/sandboxTests';
import { untrustedLimits, untrustedTestsReason } from '../validate/trust';
import { qlpVersion } from '../common/version';

/** What the extension passes in `initializationOptions` (never secrets). */
export interface InitializationOptions {
  /** A folder the server may write to (the extension's workspace storage). */
  storageDir?: string;
  /** True when the client answers `qlp/secrets/get` from its SecretStorage. */
  secrets?: boolean;
  /** True when the editor's built-in TypeScript extension is enabled (it type-checks open files). */
  builtinTypeScript?: boolean;
  /**
   * True when the user trusts the workspace (VS Code's Workspace Trust). Without it the workspace
   * is untrusted: nothing from it is imported or executed (ESLint configs and plugins, its tests).
   */
  workspaceTrusted?: boolean;
}

const startedAt = Date.now();
const machineProbeTtlMs = 5000;

const secretRequest = new RequestType<SecretRequestParams, SecretRequestResult, void>(clientRequests.secret.method);
const usageChanged = new NotificationType<UsageSummary>(clientNotifications.usageChanged.method);
const budgetWarning = new NotificationType<{ message: string }>(clientNotifications.budgetWarning.method);
const sandboxProgress = new NotificationType<SandboxProgressParams>(clientNotifications.sandboxProgress.method);

/** The workspace root: the first workspace folder (or the root URI), when it is a local folder. */
function workspaceRoot(params: InitializeParams): string | undefined {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  return uri?.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

export function wireServer(connection: Connection): void {
  let storageDir = defaultStorageDir();
  let editorAnswersSecrets = false;
  let editorHasConfiguration = false;
  let root: string | undefined;
  let workspaceTrusted = false;
  let capsules: Promise<CapsuleService> | undefined;

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

  // Capsules live with the workspace in QLP's data folder (QLP_HOME or XDG), where the command
  // line finds them too: not in the extension's own storage. The engine (archive libraries, zod)
  // is loaded on the first capsule request, not at server start.
  const capsuleService = (): Promise<CapsuleService> => {
    if (!root) return Promise.reject(new CapsuleInputError('Open a folder in VS Code to use capsules.'));
    const workspace = root;
    capsules ??= import('../capsule/service.js').then(({ CapsuleService }) => CapsuleService.open(defaultStorageDir(process.env), workspace)).then(
      (service) => {
        void service.tidy();
        return service;
      },
      (err) => {
        capsules = undefined;
        throw err;
      },
    );
    return capsules;
  };

  // Team sync: loaded with the capsule engine; the key is asked for only when a request needs it.
  const sync = new SyncHost({
    capsules: capsuleService,
    env: process.env,
    editorSettings: async () => (editorHasConfiguration ? connection.workspace.getConfiguration('qlp') : undefined),
    editorKey: async () => (editorAnswersSecrets ? (await connection.sendRequest(secretRequest, { provider: 'backend' })).key : undefined),
    onNotice: (message) => void connection.window.showWarningMessage(message),
  });
  const validation = wireValidation(connection, sandboxRunTests(() => sandbox.runnerOptions()));
  const index = wireIndex(connection);
  // The connection keeps one handler per lifecycle event: everything that starts or stops is here.
  connection.onInitialized(() => {
    sync.resumeLater();
    index.start(root, storageDir, async () => (editorHasConfiguration ? connection.workspace.getConfiguration('qlp.index') : undefined));
  });
  connection.onShutdown(async () => {
    await Promise.all([sync.dispose(), validation.dispose(), index.dispose()]);
  });

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof options.storageDir === 'string' && options.storageDir) storageDir = options.storageDir;
    editorAnswersSecrets = options.secrets === true;
    editorHasConfiguration = params.capabilities.workspace?.configuration === true;
    root = workspaceRoot(params);
    workspaceTrusted = options.workspaceTrusted === true;
    validation.initialize(params);
    validation.setTrusted(workspaceTrusted);
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

  // Trust is granted once per window (taking it back reloads the window, and this server with it).
  connection.onNotification(new NotificationType<Record<string, never>>(serverNotifications.workspaceTrusted.method), () => {
    workspaceTrusted = true;
    validation.setTrusted(true);
  });

  connection.onRequest(new RequestType0<HealthReport, void>(serverRequests.health.method), async () => ({
    version: qlpVersion,
    uptimeMs: Date.now() - startedAt,
    pid: process.pid,
    machine: await machine(),
    workspaceTrust: { trusted: workspaceTrusted, limits: workspaceTrusted ? [] : [...untrustedLimits] },
    notChecked: validation.notChecked(),
  }));

  const r = serverRequests;
  handle(connection, r.usageSummary, () => models.summary());
  handle(connection, r.modelsProbe, (p, c) => models.probe(p ?? {}, c.signal ?? new AbortController().signal));
  handle(connection, r.capsuleList, async () => ({ capsules: await (await capsuleService()).list() }));
  handle(connection, r.capsuleShow, async (p) => (await capsuleService()).show(p));
  handle(connection, r.capsuleFindSecrets, async (p, c) => ({ findings: await (await capsuleService()).findSecrets(p, c) }));
  handle(connection, r.capsuleCreate, async (p, c) => (await capsuleService()).create(p, c));
  handle(connection, r.capsuleDiff, async (p, c) => (await capsuleService()).diff(p, c));
  handle(connection, r.capsuleReadFile, async (p) => (await capsuleService()).readFile(p));
  handle(connection, r.capsuleRestore, async (p, c) => (await capsuleService()).restore(p, c));
  handle(connection, r.capsuleExport, async (p, c) => (await capsuleService()).export(p, c));
  handle(connection, r.capsuleImport, async (p, c) => (await capsuleService()).import(p, c));
  handle(connection, r.capsuleRename, async (p) => (await capsuleService()).rename(p));
  handle(connection, r.capsuleTag, async (p) => (await capsuleService()).tag(p));
  handle(connection, r.capsuleDelete, async (p) => (await capsuleService()).delete(p));
  handle(connection, r.syncPush, (p, c) => sync.push(p, c));
  handle(connection, r.syncPull, (p, c) => sync.pull(p, c));
  handle(connection, r.teamList, (p, c) => sync.team(p?.query, c));

  wireGeneration(connection, {
    models,
    sandbox,
    editorSettings: async () => (editorHasConfiguration ? connection.workspace.getConfiguration('qlp') : undefined),
    workspaceRoot: () => root,
    context: (requirements, signal) => index.retrieve(requirements, signal),
  });

  handle(connection, r.sandboxRun, async (params, c) => {
    // Running a folder's tests runs its code, sandbox or not: only in a trusted workspace.
    if (!workspaceTrusted) throw new SandboxInputError(untrustedTestsReason);
    const signal = c.signal ?? new AbortController().signal;
    const result = await sandbox.run(params, signal, (progress) => void connection.sendNotification(sandboxProgress, { runId: params.runId, ...progress }));
    // The run has stopped and cleaned up; a cancelled request answers as LSP says it should.
    if (signal.aborted) throw new CancelledError(result.error ?? 'The test run was cancelled.');
    return result;
  });
}
