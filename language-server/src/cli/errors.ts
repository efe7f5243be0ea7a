// Errors the command line turns into exit codes (see the CLI contract): each carries one sentence.

/** Bad usage or bad input: exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** The environment failed the command (engine missing, provider unreachable): exit 3. */
export class EnvironmentError extends Error {
  readonly exitCode = 3;
}
