// Wires project generation to LSP: `qlp/generate/start` runs one generation (cancelled by the
// client's $/cancelRequest), its events stream as `qlp/generate/event`, and the plan goes to the
// client for approval when asked. The engine is loaded on the first request.
import { basename, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import {
  clientNotifications,
  clientRequests,
  serverRequests,
  type FixFindingsParams,
  type FixFindingsResult,
  type GenerateStartParams,
} from '../../../protocol/lsp';
import type { GenerationEvent, GenerationResult, ProjectPlan } from '../../../protocol/generate';
import type { Control } from '../common/control';
import { GenerationInputError } from '../generate/errors';
import { generationSettings } from '../generate/settings';
import type { ContextChunk } from '../index/retrieve';
import type { ModelHost } from '../llm/modelHost';
import { handle } from './handle';
import { notify, request } from './messages';
import { defaultStorageDir } from '../machine/storage';
import type { SandboxHost } from '../sandbox/sandboxHost';

export interface GenerationWiring {
  models: ModelHost;
  sandbox: SandboxHost;
  editorSettings(): Promise<Record<string, unknown> | undefined>;
  workspaceRoot(): string | undefined;
  /** Workspace context for the requirements (the index). */
  context(requirements: string, signal: AbortSignal): Promise<ContextChunk[]>;
}

/** Text deltas are batched so a fast stream does not flood the client with notifications. */
const textFlushMs = 50;

export function wireGeneration(connection: Connection, wiring: GenerationWiring): void {
  handle(connection, serverRequests.generateStacks, async () => {
    const { stackSummaries } = await import('../generate/stacks/index.js');
    const settings = generationSettings((await wiring.editorSettings())?.generate as Record<string, unknown> | undefined);
    return { stacks: stackSummaries(), defaultStack: settings.defaultStack };
  });
  handle(connection, serverRequests.fixFindings, (params, control) => fixDocument(wiring, params, control));
  handle(connection, serverRequests.generateStart, (params, control) => generate(connection, wiring, params, control));
}

/** "Ask QLP to fix": one model call that rewrites the document so the findings go away. */
async function fixDocument(wiring: GenerationWiring, params: FixFindingsParams, control: Control): Promise<FixFindingsResult> {
  if (!params || typeof params.uri !== 'string' || typeof params.text !== 'string' || !Array.isArray(params.findings))
    throw new GenerationInputError('Give the document and the findings to fix.');
  const [{ fixFindings }, { LiveTurns }, { decideTier }, { extractFeatures }, { randomUUID }] = await Promise.all([
    import('../generate/fixFindings.js'),
    import('../generate/turns.js'),
    import('../llm/router.js'),
    import('../llm/taskFeatures.js'),
    import('node:crypto'),
  ]);
  const models = await wiring.models.setup();
  const root = wiring.workspaceRoot();
  const file = params.uri.startsWith('file:') ? fileURLToPath(params.uri) : params.uri;
  const path = root && file.startsWith(`${root}${sep}`) ? relative(root, file).split(sep).join('/') : basename(file);
  const findings = params.findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.source}${f.code ? ` ${f.code}` : ''}: ${f.message}`);
  const tier = decideTier({ features: extractFeatures('repair', findings.join('\n')), available: models.available }).tier;
  const result = await fixFindings(
    { path, content: params.text, findings },
    new LiveTurns(models.service, randomUUID()),
    tier,
    control.signal ?? new AbortController().signal,
  );
  return { text: result.content, tier: result.tier, model: result.model, costUsd: result.costUsd };
}

async function generate(connection: Connection, wiring: GenerationWiring, params: GenerateStartParams, control: Control): Promise<GenerationResult> {
  const root = wiring.workspaceRoot();
  if (!root) throw new GenerationInputError('Open a folder in VS Code to generate a project into it.');
  if (!params || typeof params.folder !== 'string' || typeof params.runId !== 'string')
    throw new GenerationInputError('Give the requirements, the target folder and a run id.');
  const { runGeneration } = await import('../generate/generationHost.js');
  const settings = generationSettings((await wiring.editorSettings())?.generate as Record<string, unknown> | undefined);
  const models = await wiring.models.setup(params.budgetUsd !== undefined ? { perGenerationUsd: params.budgetUsd } : {});
  // The shipped sample replays its recording: no model, no workspace context, no plan approval.
  const replay = params.replay === 'sample' ? (await (await import('../generate/replaySource.js')).sampleRecording()).transcript : undefined;
  const approvePlan = async (plan: ProjectPlan) => (await request(connection, clientRequests.approvePlan, { runId: params.runId, plan })).plan ?? undefined;
  const events = batchedEvents((event) => void notify(connection, clientNotifications.generateEvent, { runId: params.runId, event }));
  try {
    return await runGeneration(
      {
        ...params,
        tests: params.tests ?? settings.runTests,
        ...(replay ? { requirements: replay.requirements, stack: replay.stack, approvePlan: false } : {}),
      },
      {
        models,
        ledger: wiring.models.ledger,
        dataDir: defaultStorageDir(process.env),
        workspaceRoot: root,
        sandbox: await wiring.sandbox.settings({}),
        env: process.env,
        budgetUsd: models.settings.budgets.perGenerationUsd,
        limits: settings.limits,
        ...(replay ? { replay } : { context: wiring.context }),
        ...(params.approvePlan && !replay ? { approvePlan } : {}),
      },
      control.signal ?? new AbortController().signal,
      events.emit,
    );
  } finally {
    events.flush();
  }
}

/**
 * Passes a generation's events on, text deltas batched per file: the first text goes out at once
 * (first token → first sight), the rest every `textFlushMs`; any other event flushes them first.
 */
function batchedEvents(send: (event: GenerationEvent) => void): { emit(event: GenerationEvent): void; flush(): void } {
  let pending = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  const sendPending = () => {
    timer = undefined;
    for (const [key, delta] of pending) send({ kind: 'text', path: key === '' ? null : key, delta });
    pending = new Map();
  };
  const flush = () => {
    if (!timer) return;
    clearTimeout(timer);
    sendPending();
  };
  const emit = (event: GenerationEvent) => {
    if (event.kind !== 'text') {
      flush();
      send(event);
      return;
    }
    const key = event.path ?? '';
    pending.set(key, (pending.get(key) ?? '') + event.delta);
    if (!timer) timer = setTimeout(sendPending, pending.size === 1 && (pending.get(key) ?? '') === event.delta ? 0 : textFlushMs);
  };
  return { emit, flush };
}
