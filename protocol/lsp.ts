// Custom LSP requests and notifications shared by the extension and the language server.
// Each is declared once: a method name, its parameter and result types, and which side handles
// it. Both sides send and handle them through lspEndpoint.ts's helpers, which take these
// descriptors, so no call site restates a message's types and a wrong one breaks the compile.

import type * as capsule from './capsuleApi';
import type { GenerateParams, GenerationEvent, GenerationResult, ProjectPlan, StackSummary } from './generate';
import type * as sync from './syncApi';
import type { Tier, UsageSummary } from './llm';
import type { MachineReport, ProviderId } from './machine';
import type { StageId, StageReport, TestCounts, UnscoredStage } from './validate';
import type { SandboxMode, SandboxProgress, TestRunResult } from './sandbox';
import type { IndexStatus, SearchParams, SearchResult } from './search';

/** The side that handles a message: the language server, or the editor's client. */
export type Receiver = 'server' | 'client';

/** A request, sent by one side and answered by `to`. */
export interface RequestDescriptor<P, R, To extends Receiver = Receiver> {
  readonly kind: 'request';
  readonly method: string;
  readonly to: To;
  readonly _types?: [P, R];
}

/** A notification, sent by one side and handled by `to`. */
export interface NotificationDescriptor<P, To extends Receiver = Receiver> {
  readonly kind: 'notification';
  readonly method: string;
  readonly to: To;
  readonly _type?: P;
}

function requestTo<To extends Receiver>(to: To) {
  return <P, R>(method: string): RequestDescriptor<P, R, To> => ({ kind: 'request', method, to });
}

function notificationTo<To extends Receiver>(to: To) {
  return <P>(method: string): NotificationDescriptor<P, To> => ({ kind: 'notification', method, to });
}

const serverRequest = requestTo('server');
const clientRequest = requestTo('client');
const serverNotification = notificationTo('server');
const clientNotification = notificationTo('client');

export interface HealthReport {
  /** The server's version (the extension's package version). */
  version: string;
  /** Milliseconds since the server process started. */
  uptimeMs: number;
  /** The server's process id (lets tests and the user see a restart happened). */
  pid: number;
  /** What this machine offers the engine. */
  machine: MachineReport;
  /** Workspace Trust as the server applies it. */
  workspaceTrust?: WorkspaceTrustStatus;
  /** Stages the latest validations could not check, and why (a tool that failed, tests not run). */
  notChecked?: UnscoredStage[];
}

export interface WorkspaceTrustStatus {
  /** The editor said the workspace is trusted; without a word from it, it is not. */
  trusted: boolean;
  /** What QLP holds back while the workspace is not trusted, one sentence each (empty when trusted). */
  limits: string[];
}

export interface ModelProbeParams {
  /** A tier to test; without one the router picks (the cheapest available). */
  tier?: Tier;
}

export interface ModelProbeResult {
  tier: Tier;
  /** Why the router chose the tier. */
  reason: string;
  provider: ProviderId;
  model: string;
  /** The model's answer, shortened. */
  answer: string;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface GenerateStartParams extends GenerateParams {
  /** Chosen by the client; events and plan approvals carry it. */
  runId: string;
}

/** "Ask QLP to fix": the document as the editor has it, and the findings to fix. */
export interface FixFindingsParams {
  uri: string;
  /** The document's text when the user asked (the fix is applied only if it is unchanged). */
  text: string;
  findings: Array<{ line: number; column: number; severity: string; source: string; code?: string; message: string }>;
}

export interface FixFindingsResult {
  /** The whole corrected text. */
  text: string;
  tier: Tier;
  model: string;
  costUsd: number;
}

export interface ValidateWorkspaceParams {
  /** Stages to run; without them, the `qlp.validate.stages` setting. */
  stages?: StageId[];
}

export interface FolderValidation {
  /** The workspace folder's path. */
  root: string;
  files: number;
  errors: number;
  warnings: number;
  infos: number;
  score: number;
  stages: StageReport[];
  /** Present when the tests stage ran. */
  tests?: TestCounts;
  /** The tests stage's sandbox run: its output and receipt. */
  testRun?: TestRunResult;
  /** The requested stages the score does not cover, and why. */
  unscored?: UnscoredStage[];
  /** Of the counts above, those another extension shows instead of QLP (so the Problems panel lists them once). */
  leftToEditor?: LeftToEditorTools;
}

/** Findings of a workspace validation that another extension shows instead of QLP (open files it checks). */
export interface LeftToEditorTools {
  errors: number;
  warnings: number;
  infos: number;
  /** The extensions that show them, e.g. `dbaeumer.vscode-eslint`, `vscode.typescript-language-features`. */
  extensions: string[];
}

export interface ValidateWorkspaceResult {
  folders: FolderValidation[];
}
export interface SandboxRunParams {
  /** Chosen by the client; progress notifications of this run carry it. */
  runId: string;
  /** The project folder, a path on the server's machine. */
  folder: string;
  /** Overrides `qlp.sandbox.mode` for this run. */
  sandbox?: SandboxMode;
  /** Overrides `qlp.sandbox.timeoutSeconds` for this run. */
  timeoutSeconds?: number;
}

/** Progress of a sandboxed run: its phases, and its output as it comes (within a budget). */
export type SandboxProgressParams = { runId: string } & SandboxProgress;

/** Registry of custom requests sent by the client to the server. */
export const serverRequests = {
  health: serverRequest<void, HealthReport>('qlp/health'),
  usageSummary: serverRequest<void, UsageSummary>('qlp/usage/summary'),
  modelsProbe: serverRequest<ModelProbeParams, ModelProbeResult>('qlp/models/probe'),
  capsuleList: serverRequest<Record<string, never>, { capsules: capsule.CapsuleSummary[] }>('qlp/capsule/list'),
  capsuleShow: serverRequest<capsule.CapsuleRef, capsule.ShowResult>('qlp/capsule/show'),
  capsuleFindSecrets: serverRequest<capsule.FindSecretsParams, { findings: capsule.SecretFinding[] }>('qlp/capsule/findSecrets'),
  capsuleCreate: serverRequest<capsule.CreateCapsuleParams, capsule.CreateCapsuleResult>('qlp/capsule/create'),
  capsuleDiff: serverRequest<capsule.DiffParams, capsule.DiffResult>('qlp/capsule/diff'),
  capsuleReadFile: serverRequest<capsule.ReadFileParams, capsule.ReadFileResult>('qlp/capsule/readFile'),
  capsuleRestore: serverRequest<capsule.RestoreParams, capsule.RestoreResult>('qlp/capsule/restore'),
  capsuleExport: serverRequest<capsule.ExportParams, capsule.ExportResult>('qlp/capsule/export'),
  capsuleImport: serverRequest<capsule.ImportParams, capsule.ImportResult>('qlp/capsule/import'),
  capsuleRename: serverRequest<capsule.RenameParams, capsule.CapsuleSummary>('qlp/capsule/rename'),
  capsuleTag: serverRequest<capsule.TagParams, capsule.CapsuleSummary>('qlp/capsule/tag'),
  capsuleDelete: serverRequest<capsule.DeleteParams, capsule.DeleteResult>('qlp/capsule/delete'),
  /** Team sync through the backend at `qlp.backend.url`; an unreachable backend queues the push. */
  syncPush: serverRequest<sync.SyncPushParams, sync.SyncPushResult>('qlp/sync/push'),
  syncPull: serverRequest<sync.SyncPullParams, sync.SyncPullResult>('qlp/sync/pull'),
  teamList: serverRequest<sync.TeamListParams, sync.TeamListResult>('qlp/sync/team'),
  /** Validates every workspace folder and publishes the findings as diagnostics. */
  validateWorkspace: serverRequest<ValidateWorkspaceParams, ValidateWorkspaceResult>('qlp/validate/workspace'),
  /** Runs a folder's tests in the sandbox; cancel it to stop the run (nothing is left running). */
  sandboxRun: serverRequest<SandboxRunParams, TestRunResult>('qlp/sandbox/run'),
  generateStacks: serverRequest<void, { stacks: StackSummary[]; defaultStack: string }>('qlp/generate/stacks'),
  generateStart: serverRequest<GenerateStartParams, GenerationResult>('qlp/generate/start'),
  fixFindings: serverRequest<FixFindingsParams, FixFindingsResult>('qlp/generate/fixFindings'),
  /** Searches the workspace index (built or brought up to date first when needed). */
  search: serverRequest<SearchParams, { results: SearchResult[] }>('qlp/search/query'),
  indexStatus: serverRequest<Record<string, never>, IndexStatus>('qlp/index/status'),
  /** Rebuilds the index from scratch (work-done progress, cancellable). */
  indexRebuild: serverRequest<Record<string, never>, IndexStatus>('qlp/index/rebuild'),
} as const;

export type ServerRequestId = keyof typeof serverRequests;

/** Whose key is asked for: a model provider, or the team backend. */
export type SecretTargetId = ProviderId | 'backend';

export interface SecretRequestParams {
  provider: SecretTargetId;
}

export interface SecretRequestResult {
  /** The key from SecretStorage, or absent when none is set. */
  key?: string;
}

/** Registry of requests the server sends to the client. */
export const clientRequests = {
  /** The only way a key reaches the server: asked for when a call needs it, never stored. */
  secret: clientRequest<SecretRequestParams, SecretRequestResult>('qlp/secrets/get'),
  /** The server asks the user to approve (and maybe edit) a plan; `plan: null` cancels the run. */
  approvePlan: clientRequest<{ runId: string; plan: ProjectPlan }, { plan: ProjectPlan | null }>('qlp/generate/approvePlan'),
} as const;

/** Registry of notifications the server sends to the client. */
export const clientNotifications = {
  usageChanged: clientNotification<UsageSummary>('qlp/usage/changed'),
  budgetWarning: clientNotification<{ message: string }>('qlp/budget/warning'),
  /** What a workspace validation is doing now (for its progress notification). */
  validateProgress: clientNotification<{ message: string }>('qlp/validate/progress'),
  sandboxProgress: clientNotification<SandboxProgressParams>('qlp/sandbox/progress'),
  generateEvent: clientNotification<{ runId: string; event: GenerationEvent }>('qlp/generate/event'),
  /** The index's state changed (indexing progress, an update landed). */
  indexStatus: clientNotification<IndexStatus>('qlp/index/status'),
} as const;

/** A tool whose findings another extension already shows in the editor. */
export type EditorLinterTool = 'eslint' | 'ruff' | 'pyright' | 'json';

/** Another extension, active in the editor, that reports one tool's problems for some languages. */
export interface EditorLinter {
  tool: EditorLinterTool;
  /** The extension's id, e.g. `dbaeumer.vscode-eslint`. */
  extension: string;
  /** VS Code language ids of the documents it checks (`typescriptreact`, `python`, …). */
  languages: string[];
  /** pyright-based extensions: type checking is on (`typeCheckingMode` other than `off`); off, only unresolved imports and undefined names are reported. */
  typeChecking?: boolean;
  /** It reports every file of the workspace, not only open ones (Pylance's `diagnosticMode: workspace`). */
  wholeWorkspace?: boolean;
}

/** The extension's `initializationOptions` that concern validation. */
export interface ValidationInitOptions {
  /** VS Code's built-in TypeScript extension is enabled (it reports open TS/JS files' syntax and type errors). */
  builtinTypeScript?: boolean;
  /** The other linters active now (later changes come as `qlp/validate/editorLinters`). */
  editorLinters?: EditorLinter[];
}

/** Registry of notifications the client sends to the server. */
export const serverNotifications = {
  /** The user trusted the workspace (it may now load the project's ESLint config and run its tests). */
  workspaceTrusted: serverNotification<Record<string, never>>('qlp/workspace/trusted'),
  /** The other linters active in the editor changed (an extension activated, was disabled or reconfigured). */
  editorLinters: serverNotification<{ linters: EditorLinter[] }>('qlp/validate/editorLinters'),
} as const;

/** The parameter and result types of a descriptor. */
export type ParamsOf<D> = D extends RequestDescriptor<infer P, unknown> ? P : never;
export type ResultOf<D> = D extends RequestDescriptor<unknown, infer R> ? R : never;
export type NotificationParamsOf<D> = D extends NotificationDescriptor<infer P> ? P : never;
