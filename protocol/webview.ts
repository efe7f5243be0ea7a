// Messages between webview panels and the extension: one typed map per direction and view.
import type { GenerationEvent, GenerationResult, ProjectPlan, StackSummary } from './generate';
import type { Tier, UsageSummary } from './llm';
import type { HealthReport } from './lsp';
import type { IndexStatus, SearchResult } from './search';

/** The language server's lifecycle as the user sees it. */
export type ServerState = 'starting' | 'ready' | 'restarting' | 'crashed' | 'stopped';

export interface StatusViewToWebview {
  state: { state: ServerState; detail?: string };
  health: { report: HealthReport };
  healthError: { message: string };
}

/** A message with no payload beyond its type. */
type Empty = Record<never, never>;

export interface StatusViewFromWebview {
  ready: Empty;
  refresh: Empty;
  restartServer: Empty;
  showOutput: Empty;
  /** Opens VS Code's Workspace Trust editor. */
  manageTrust: Empty;
}

/** A message of a map: `{ type, ...payload }`. */
export type MessageOf<M> = { [K in keyof M]: { type: K } & M[K] }[keyof M];

export interface UsageViewToWebview {
  usage: { summary: UsageSummary };
}

export interface UsageViewFromWebview {
  ready: Empty;
  testModels: Empty;
  setApiKey: Empty;
  openSettings: Empty;
}

/** A way forward the generation panel offers when a run could not start or failed. */
export type GeneratePanelAction = 'retry' | 'setUpModel' | 'replaySample' | 'openSettings' | 'showOutput';

/** What the generation panel is told: its choices, the run's events, the plan to approve, the end. */
export interface GeneratePanelToWebview {
  init: { stacks: StackSummary[]; defaultStack: string; folder: string; requirements: string };
  /** `replay`: the run replays the shipped sample recording (no model is called), whose requirements these are. */
  started: { folder: string; stack: string; replay?: boolean; requirements?: string };
  event: { event: GenerationEvent };
  approve: { plan: ProjectPlan };
  result: { result: GenerationResult };
  /** `actions`: the buttons shown with the message, in order; `cancelled`: the user stopped the run (no failure). */
  error: { message: string; actions?: GeneratePanelAction[]; cancelled?: boolean };
}

export interface GeneratePanelFromWebview {
  ready: Empty;
  /** `folder` is relative to the first workspace folder; `tier` `auto` routes by the plan. */
  start: { requirements: string; stack: string; tier: Tier | 'auto'; folder: string };
  approve: { plan: ProjectPlan };
  rejectPlan: Empty;
  cancel: Empty;
  openFolder: Empty;
  showDiff: Empty;
  exportCapsule: Empty;
  /** One of the buttons an error offered. */
  action: { action: GeneratePanelAction };
}

export interface SearchViewToWebview {
  status: { status: IndexStatus };
  /** Results for the query with this sequence number (older answers are dropped). */
  results: { seq: number; results: SearchResult[] };
  searchError: { seq: number; message: string };
}

export interface SearchViewFromWebview {
  ready: Empty;
  search: { seq: number; query: string };
  open: { path: string; startLine: number; endLine: number };
  reindex: Empty;
}
