import type { EnvironmentVariable } from './environment';

/** What `qlp <command> --help` (and `qlp help <command>`) shows beside the usage line. */
export interface CommandHelp {
  /** Every flag the command takes, one line each: the flag as typed (with its value) and what it does. */
  flags: ReadonlyArray<readonly [flag: string, description: string]>;
  /** Command lines to copy. */
  examples: readonly string[];
  /** The environment variables the command reads (described once, in environment.ts). */
  env: readonly EnvironmentVariable[];
}

/** A `qlp` subcommand: parses its own arguments and returns the process exit code. */
export interface CliCommand {
  /** One line for `qlp --help`. */
  summary: string;
  /** The usage line, e.g. `qlp doctor [--json]`. */
  usage: string;
  help: CommandHelp;
  /** Commands with subcommands (`qlp capsule create …`) describe each for `qlp capsule create --help`. */
  subcommands?: Readonly<Record<string, { summary: string; usage: string; help: CommandHelp }>>;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Where a command writes: results to `out`, progress and logs to `err`. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Writes text as it comes, without a newline (live output of a sandboxed run). */
  raw?(stream: 'stdout' | 'stderr', text: string): void;
  env: NodeJS.ProcessEnv;
  /** Whether each stream takes colour (see colour.ts); no colour when absent. */
  colour?: { out: boolean; err: boolean };
}
