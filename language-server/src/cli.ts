// The command-line face of the engine (`qlp`), per the CLI contract: same engine, no LSP.
import { capsuleCommand } from './cli/capsule';
import type { CliCommand, CliIo } from './cli/command';
import { doctorCommand } from './cli/doctor';
import { generateCommand } from './cli/generate';
import { indexCommand, searchCommand } from './cli/index';
import { UsageError } from './cli/errors';
import { modelsCommand, usageCommand } from './cli/models';
import { validateCommand } from './cli/validate';
import { sandboxCommand } from './cli/sandbox';
import { serveCommand } from './cli/serve';
import { testCommand } from './cli/test';
import { qlpVersion } from './version';

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

function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    'qlp: turn requirements into verified projects, headless.',
    '',
    'Usage: qlp <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  --help, -h     Show this help, or a command\'s help after its name.',
    '  --version, -v  Print the version.',
    '',
    'Exit codes: 0 success, 1 a problem was found, 2 bad usage or input, 3 environment failure, 130 interrupted (Ctrl+C).',
  ].join('\n');
}

/** Runs the command line and returns the exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.out(helpText());
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === '-v') {
      io.out(qlpVersion);
      return 0;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'; run 'qlp --help' for the commands.`);
    if (!Object.hasOwn(commands, first)) throw new UsageError(`unknown command '${first}'; run 'qlp --help' for the commands.`);
    const command = commands[first as CommandName];
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(`Usage: ${command.usage}\n\n${command.summary}`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    const exitCode = (err as { exitCode?: number }).exitCode ?? 3;
    const message = err instanceof Error ? err.message : String(err);
    io.err(`qlp: ${message}`);
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
  }).then((code) => {
    process.exitCode = code;
  });
}
