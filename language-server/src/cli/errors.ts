// Errors the command line turns into exit codes (see the CLI contract): each carries one sentence.

/** Bad usage or bad input: exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** The environment failed the command (engine missing, provider unreachable): exit 3. */
export class EnvironmentError extends Error {
  readonly exitCode = 3;
}

/** Ctrl+C stopped the command, after it stopped what it had started: exit 130, as shells do. */
export class InterruptedError extends Error {
  readonly exitCode = 130;
}

/** Aborts on Ctrl+C, so an in-flight request or run is cancelled rather than left running. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}
