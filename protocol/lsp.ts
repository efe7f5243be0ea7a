// Custom LSP requests and notifications shared by the extension and the language server.
// Each is declared once as a method name plus its parameter and result types; both sides
// build their typed RequestType from these descriptors, so a rename breaks the compile.

import type { MachineReport } from './machine';

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

/** Registry of custom requests sent by the client to the server. */
export const serverRequests = {
  health: request<void, HealthReport>('qlp/health'),
} as const;

export type ServerRequestId = keyof typeof serverRequests;
