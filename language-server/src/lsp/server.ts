// Wires LSP handlers to the engine; holds no engine logic of its own.
import type { Connection, InitializeResult } from 'vscode-languageserver/node';
import { clientNotifications, serverNotifications, serverRequests as r } from '../../../protocol/lsp';
import { CancelledError } from '../common/cancellation';
import { ModelHost } from '../llm/modelHost';
import { handle } from './handle';
import { machineProbe } from './machineProbe';
import { notify, onNotification } from './messages';
import { defaultStorageDir } from '../machine/storage';
import { SandboxHost } from '../sandbox/sandboxHost';
import { SandboxInputError } from '../sandbox/types';
import { EditorSession } from './session';
import { wireCapsules } from './wireCapsules';
import { wireGeneration } from './wireGenerate';
import { wireIndex } from './wireIndex';
import { wireValidation, type WiredValidation } from './wireValidation';
import { sandboxRunTests } from '../validate/sandboxTests';
import { untrustedLimits, untrustedTestsReason } from '../validate/trust';
import { qlpVersion } from '../common/version';

const startedAt = Date.now();

export function wireServer(connection: Connection): void {
  const session = new EditorSession(connection);
  const models = new ModelHost({
    dataDir: defaultStorageDir(),
    env: process.env,
    editorSettings: session.settings,
    editorKey: session.key,
    onUsageChanged: (summary) => void notify(connection, clientNotifications.usageChanged, summary),
    onBudgetWarning: (message) => void notify(connection, clientNotifications.budgetWarning, { message }),
  });
  const sandbox = new SandboxHost({ storageDir: defaultStorageDir(), env: process.env, editorSettings: session.settings });
  const capsules = wireCapsules(connection, session);
  const validation = wireValidation(
    connection,
    session.settings,
    sandboxRunTests(() => sandbox.runnerOptions()),
  );
  const index = wireIndex(connection, session);

  // The connection keeps one handler per lifecycle event: everything that starts or stops is here.
  connection.onInitialize((params): InitializeResult => {
    session.initialize(params);
    validation.initialize(params);
    validation.setTrusted(session.trusted);
    return { capabilities: { ...validation.capabilities }, serverInfo: { name: 'qlp', version: qlpVersion } };
  });
  connection.onInitialized(() => {
    capsules.start();
    index.start(session.root, session.storageDir, () => session.settings('qlp.index'));
  });
  connection.onShutdown(async () => {
    await Promise.all([capsules.dispose(), validation.dispose(), index.dispose()]);
  });

  // Trust is granted once per window (taking it back reloads the window, and this server with it).
  onNotification(connection, serverNotifications.workspaceTrusted, () => {
    session.trusted = true;
    validation.setTrusted(true);
  });
  wireHealth(
    connection,
    session,
    validation,
    machineProbe(
      () => session.storageDir,
      () => models.providerProbes(),
    ),
  );
  handle(connection, r.usageSummary, () => models.summary());
  handle(connection, r.modelsProbe, (p, c) => models.probe(p ?? {}, c.signal ?? new AbortController().signal));
  wireGeneration(connection, {
    models,
    sandbox,
    editorSettings: session.settings,
    workspaceRoot: () => session.root,
    context: (requirements, signal) => index.retrieve(requirements, signal),
  });

  handle(connection, r.sandboxRun, async (params, c) => {
    // Running a folder's tests runs its code, sandbox or not: only in a trusted workspace.
    if (!session.trusted) throw new SandboxInputError(untrustedTestsReason);
    const signal = c.signal ?? new AbortController().signal;
    const result = await sandbox.run(
      params,
      signal,
      (progress) => void notify(connection, clientNotifications.sandboxProgress, { runId: params.runId, ...progress }),
    );
    // The run has stopped and cleaned up; a cancelled request answers as LSP says it should.
    if (signal.aborted) throw new CancelledError(result.error ?? 'The test run was cancelled.');
    return result;
  });
}

function wireHealth(connection: Connection, session: EditorSession, validation: WiredValidation, machine: ReturnType<typeof machineProbe>): void {
  handle(connection, r.health, async () => ({
    version: qlpVersion,
    uptimeMs: Date.now() - startedAt,
    pid: process.pid,
    machine: await machine(),
    workspaceTrust: { trusted: session.trusted, limits: session.trusted ? [] : [...untrustedLimits] },
    notChecked: validation.notChecked(),
  }));
}
