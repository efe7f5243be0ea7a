// How a caller steers a long operation: cancels it through `signal` (see cancellation.ts) and
// follows it through `onProgress`. Engine services take one; lsp/handle.ts makes one from an LSP
// request (progress becomes work-done progress) and the command line one from the terminal.

/** How far an operation has come: what it does now, and `done` of `total` units (0: not known yet). */
export interface Progress {
  message: string;
  done: number;
  total: number;
}

/** `P` is the operation's own progress, when it reports more than a count (a sandboxed run's phases and output). */
export interface Control<P = Progress> {
  signal?: AbortSignal;
  onProgress?(progress: P): void;
}
