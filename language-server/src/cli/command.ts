/** A `qlp` subcommand: parses its own arguments and returns the process exit code. */
export interface CliCommand {
  /** One line for `qlp --help`. */
  summary: string;
  /** The usage line, e.g. `qlp doctor [--json]`. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Where a command writes: results to `out`, progress and logs to `err`. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Writes text as it comes, without a newline (live output of a sandboxed run). */
  raw?(stream: 'stdout' | 'stderr', text: string): void;
  env: NodeJS.ProcessEnv;
}
