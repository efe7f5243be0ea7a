import { counted } from '../../../protocol/validate';
import type { TestRunResult } from '../../../protocol/sandbox';
import { defaultStorageDir } from '../machine/storage';
import { formatBytes } from '../sandbox/output';
import { runProjectTests } from '../sandbox/runTests';
import { parseMode, sandboxSettingsFromEnvironment, type SandboxSettings } from '../sandbox/settings';
import type { CliCommand, CliIo } from './command';
import { InterruptedError, interruptSignal, UsageError } from './errors';
import { sandboxEnvironment } from './environment';
import { parseCommandArgs } from './parse';

/** Sandbox settings from QLP_SANDBOX_* and the command's flags; bad values are usage errors. */
export function cliSandboxSettings(io: CliIo, flags: { sandbox?: string; timeout?: string }): SandboxSettings {
  try {
    const settings = sandboxSettingsFromEnvironment(io.env);
    if (flags.sandbox !== undefined) settings.mode = parseMode(flags.sandbox, '--sandbox');
    if (flags.timeout !== undefined) {
      const seconds = Number(flags.timeout);
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600)
        throw new UsageError(`--timeout must be a whole number of seconds from 1 to 3600, got '${flags.timeout}'.`);
      settings.limits.timeoutSeconds = seconds;
    }
    return settings;
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode === 2) throw new UsageError((err as Error).message);
    throw err;
  }
}

function summary(r: TestRunResult): string {
  const t = r.tests;
  const counts = t ? `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped` : 'no test counts reported';
  const lines = [
    `${r.status.toUpperCase()}: ${counts} in ${(r.durationMs / 1000).toFixed(1)} s (${r.sandbox}: ${r.command})`,
    ...(r.error ? [r.error] : []),
    ...(r.coverage ? [`Coverage (${r.coverage.tool}): ${r.coverage.linesPct}% of lines`] : []),
    ...(r.oomKilled ? ['The sandbox ran out of memory.'] : []),
    ...r.receipt.phases.flatMap((p) =>
      [p.stdout, p.stderr]
        .filter((o) => o.cutBytes > 0)
        .map((o) => `The ${p.phase} output was ${formatBytes(o.bytes)}; ${formatBytes(o.cutBytes)} were cut from the middle.`),
    ),
    `Inputs: ${counted(r.receipt.files.length, 'file')}, sha256 ${r.receipt.inputHash}`,
  ];
  return lines.join('\n');
}

export const testCommand: CliCommand = {
  summary: "Run a project's tests in a sandbox (Docker or bubblewrap) and print the result with its receipt.",
  usage: 'qlp test <dir> [--sandbox auto|docker|bwrap] [--timeout <seconds>] [--json]',
  help: {
    flags: [
      ['--sandbox auto|docker|bwrap', 'The sandbox (default: QLP_SANDBOX_MODE, else auto: Docker when an engine answers, else bubblewrap on Linux).'],
      ['--timeout <seconds>', 'Time limit of the run, 1 to 3600 (default: QLP_SANDBOX_TIMEOUT_SECONDS).'],
      ['--json', 'Print one JSON document: status, counts, output, coverage and the receipt.'],
    ],
    examples: ['qlp test ./my-app', 'qlp test ./my-app --sandbox docker --json'],
    env: [...sandboxEnvironment, 'QLP_HOME'],
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('test', args, { json: { type: 'boolean' }, sandbox: { type: 'string' }, timeout: { type: 'string' } });
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length ? `test takes one folder, got ${positionals.length} arguments.` : `test needs the project's folder; usage: ${this.usage}`,
      );
    const settings = cliSandboxSettings(io, { sandbox: values.sandbox as string | undefined, timeout: values.timeout as string | undefined });
    const json = values.json === true;
    const signal = interruptSignal();
    const result = await runProjectTests(
      positionals[0],
      { settings, storageDir: defaultStorageDir(io.env), env: io.env },
      {
        signal,
        onProgress: (p) => {
          if (p.kind === 'phase') io.err(`qlp: ${p.message}`);
          else if (!json) io.raw?.(p.stream, p.text);
        },
      },
    ).catch((err) => {
      if ((err as { exitCode?: number }).exitCode === 2) throw new UsageError((err as Error).message);
      throw err;
    });
    if (signal.aborted) throw new InterruptedError('The test run was cancelled; nothing is left running.');
    io.out(json ? JSON.stringify(result, null, 2) : summary(result));
    return result.status === 'passed' ? 0 : 1;
  },
};
