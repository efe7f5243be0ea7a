// The help texts: `qlp --help` (every command) and `qlp <command> --help` = `qlp help <command>`
// (the usage, every flag on a line, an example and the environment variables the command reads).
import type { CliCommand, CliIo, CommandHelp } from './command';
import { paint } from './colour';
import { environmentVariables } from './environment';

type Io = Pick<CliIo, 'colour'>;

const helpFlag = ['--help, -h', 'Show this help.'] as const;

function table(rows: ReadonlyArray<readonly [string, string]>, io: Io): string[] {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => `  ${paint(io, 'out', 'cyan', name.padEnd(width))}  ${text}`);
}

const heading = (io: Io, text: string) => paint(io, 'out', 'bold', text);

export function topLevelHelp(commands: Record<string, CliCommand>, io: Io): string {
  return [
    'qlp: turn requirements into verified projects, headless.',
    '',
    `${heading(io, 'Usage:')} qlp <command> [options]`,
    '',
    heading(io, 'Commands:'),
    ...table(
      Object.entries(commands).map(([name, command]) => [name, command.summary]),
      io,
    ),
    '',
    heading(io, 'Options:'),
    ...table(
      [
        ['--help, -h', "Show this help, or a command's help after its name."],
        ['--version, -v', 'Print the version.'],
      ],
      io,
    ),
    '',
    "Run 'qlp help <command>' (or 'qlp <command> --help') for its options, an example and the variables it reads.",
    'Colour follows NO_COLOR and FORCE_COLOR; QLP_DEBUG=1 adds the stack to an error.',
    '',
    'Exit codes: 0 success, 1 a problem was found, 2 bad usage or input, 3 environment failure, 130 interrupted (Ctrl+C).',
  ].join('\n');
}

/** One command's (or subcommand's) help. */
export function commandHelp(
  entry: { summary: string; usage: string; help: CommandHelp },
  io: Io,
  subcommands?: CliCommand['subcommands'],
  name?: string,
): string {
  const { flags, examples, env } = entry.help;
  const usage = entry.usage.split('\n').map((line) => line.trim());
  const lines = [`${heading(io, 'Usage:')} ${usage[0]}`, ...usage.slice(1).map((line) => `       ${line}`), '', entry.summary];
  if (subcommands) {
    lines.push(
      '',
      heading(io, 'Subcommands:'),
      ...table(
        Object.entries(subcommands).map(([sub, s]) => [sub, s.summary]),
        io,
      ),
    );
    lines.push('', `Run 'qlp ${name} <subcommand> --help' for a subcommand's options.`);
  }
  lines.push('', heading(io, 'Options:'), ...table([...flags, helpFlag], io));
  lines.push('', heading(io, examples.length > 1 ? 'Examples:' : 'Example:'), ...examples.map((e) => `  ${e}`));
  if (env.length)
    lines.push(
      '',
      heading(io, 'Environment:'),
      ...table(
        env.map((v) => [v, environmentVariables[v]]),
        io,
      ),
    );
  return lines.join('\n');
}
