// The command-line face of the engine (`qlp`), per the CLI contract: same engine, no LSP.
import { capsuleCommand } from './capsule';
import { paint, takesColour } from './colour';
import type { CliCommand, CliIo } from './command';
import { doctorCommand } from './doctor';
import { generateCommand } from './generate';
import { indexCommand, searchCommand } from './indexCommand';
import { UsageError } from './errors';
import { commandHelp, topLevelHelp } from './help';
import { modelsCommand, usageCommand } from './models';
import { validateCommand } from './validate';
import { sandboxCommand } from './sandbox';
import { serveCommand } from './serve';
import { didYouMean } from './suggest';
import { testCommand } from './test';
import { qlpVersion } from '../common/version';

export const commands = {
  generate: generateCommand,
  doctor: doctorCommand,
  models: modelsCommand,
  usage: usageCommand,
  capsule: capsuleCommand,
  validate: validateCommand,
  test: testCommand,
  sandbox: sandboxCommand,
  serve: serveCommand,
  index: indexCommand,
  search: searchCommand,
} satisfies Record<string, CliCommand>;

export type CommandName = keyof typeof commands;

/** The help that `args` (after `help`, or before `--help`) asks for; a usage error for an unknown name. */
function helpFor(args: string[], io: CliIo): string {
  const [name, sub] = args.filter((a) => a !== '--help' && a !== '-h');
  if (name === undefined) return topLevelHelp(commands, io);
  const command = commandNamed(name);
  const subcommand = sub !== undefined && command.subcommands && Object.hasOwn(command.subcommands, sub) ? command.subcommands[sub] : undefined;
  if (subcommand) return commandHelp(subcommand, io);
  return commandHelp(command, io, command.subcommands, name);
}

function commandNamed(name: string): CliCommand {
  if (Object.hasOwn(commands, name)) return commands[name as CommandName];
  throw new UsageError(`unknown command '${name}'${didYouMean(name, Object.keys(commands))}; run 'qlp --help' for the commands.`);
}

/** Runs the command line and returns the exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '--help' || first === '-h') {
      io.out(topLevelHelp(commands, io));
      return first === undefined ? 2 : 0;
    }
    if (first === 'help') {
      io.out(helpFor(rest, io));
      return 0;
    }
    if (first === '--version' || first === '-v') {
      io.out(qlpVersion);
      return 0;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'; run 'qlp --help' for the commands.`);
    const command = commandNamed(first);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(helpFor([first, ...rest], io));
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    const exitCode = (err as { exitCode?: number }).exitCode ?? 3;
    const message = err instanceof Error ? err.message : String(err);
    io.err(`${paint(io, 'err', 'red', 'qlp:')} ${message}`);
    if (io.env.QLP_DEBUG && err instanceof Error && err.stack) io.err(err.stack);
    return exitCode;
  }
}

/** Runs the command line of this process (what dist/cli.js calls) and sets its exit code. */
export function main(): void {
  void runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    raw: (stream, text) => (stream === 'stdout' ? process.stdout : process.stderr).write(text),
    env: process.env,
    colour: { out: takesColour(process.stdout, process.env), err: takesColour(process.stderr, process.env) },
  }).then((code) => {
    process.exitCode = code;
  });
}
