// Custom LSP requests and notifications shared by the extension and the language server.
// Each is declared once as a method name plus its parameter and result types; both sides
// build their typed RequestType from these descriptors, so a rename breaks the compile.

import type { Tier, UsageSummary } from './llm';
import type { MachineReport, ProviderId } from './machine';
import type { SandboxMode, SandboxProgress, TestRunResult } from './sandbox';

/** A request that the client sends to the server (or the server to the client). */
export interface RequestDescriptor<P, R> {
  readonly method: string;
  readonly _types?: [P, R];
}

function request<P, R>(method: string): RequestDescriptor<P, R> {
  return { method };
}

export interface HealthReport {
  /** The server's version (the extension's package version). */
  version: string;
  /** Milliseconds since the server process started. */
  uptimeMs: number;
  /** The server's process id (lets tests and the user see a restart happened). */
  pid: number;
  /** What this machine offers the engine. */
  machine: MachineReport;
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
  health: request<void, HealthReport>('qlp/health'),
  usageSummary: request<void, UsageSummary>('qlp/usage/summary'),
  modelsProbe: request<ModelProbeParams, ModelProbeResult>('qlp/models/probe'),
  /** Runs a folder's tests in the sandbox; cancel it to stop the run (nothing is left running). */
  sandboxRun: request<SandboxRunParams, TestRunResult>('qlp/sandbox/run'),
} as const;

export type ServerRequestId = keyof typeof serverRequests;

export interface SecretRequestParams {
  provider: ProviderId;
}

export interface SecretRequestResult {
  /** The key from SecretStorage, or absent when none is set. */
  key?: string;
}

/** Registry of requests the server sends to the client. */
export const clientRequests = {
  /** The only way a key reaches the server: asked for when a call needs it, never stored. */
  secret: request<SecretRequestParams, SecretRequestResult>('qlp/secrets/get'),
} as const;

/** A notification: a method and its parameter type. */
export interface NotificationDescriptor<P> {
  readonly method: string;
  readonly _type?: P;
}

function notification<P>(method: string): NotificationDescriptor<P> {
  return { method };
}

/** Registry of notifications the server sends to the client. */
export const clientNotifications = {
  usageChanged: notification<UsageSummary>('qlp/usage/changed'),
  budgetWarning: notification<{ message: string }>('qlp/budget/warning'),
  sandboxProgress: notification<SandboxProgressParams>('qlp/sandbox/progress'),
} as const;
