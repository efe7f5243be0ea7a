import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultStages, stageIds, type StageId, type ValidationReport } from '../../../protocol/validate';
import { defaultStorageDir } from '../machine/storage';
import { toolFailure } from '../validate/report';
import { sandboxRunTests } from '../validate/sandboxTests';
import { ValidationService } from '../validate/service';
import { CancelledError } from '../common/cancellation';
import type { CliCommand } from './command';
import { EnvironmentError, InterruptedError, interruptSignal, UsageError } from './errors';
import { sandboxEnvironment } from './environment';
import { parseCommandArgs } from './parse';
import { cliSandboxSettings } from './test';
import { toJson, toSarif, toText } from './validateFormats';

const formats = ['text', 'json', 'sarif'] as const;

function parseStages(value: string | undefined): StageId[] {
  if (value === undefined) return [...defaultStages];
  const stages = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = stages.find((s) => !stageIds.includes(s as StageId));
  if (unknown !== undefined || stages.length === 0)
    throw new UsageError(`--stages takes a comma-separated list of ${stageIds.join(', ')}; got '${unknown ?? value}'.`);
  return stages as StageId[];
}

function folder(dir: string): string {
  const path = resolve(dir);
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) throw new UsageError(`the folder '${dir}' does not exist; give the folder of the project to validate.`);
  if (!info.isDirectory()) throw new UsageError(`'${dir}' is not a folder; give the folder of the project to validate.`);
  return path;
}

export const validateCommand: CliCommand = {
  summary: 'Validate a folder: syntax, lint, types, security (and tests in a sandbox); exit 1 on errors.',
  usage:
    'qlp validate <dir> [--stages syntax,lint,types,security,tests] [--format text|json|sarif] [--json] [--sandbox auto|docker|bwrap] [--timeout <seconds>]',
  help: {
    flags: [
      ['--stages <list>', `Comma-separated stages to run, of ${stageIds.join(', ')} (default: all).`],
      ['--format text|json|sarif', 'Findings by file (text, the default), one JSON document, or SARIF 2.1.0.'],
      ['--json', 'The same as --format json.'],
      ['--sandbox auto|docker|bwrap', 'The sandbox of the tests stage (default: QLP_SANDBOX_MODE, else auto).'],
      ['--timeout <seconds>', 'Time limit of the tests stage, 1 to 3600.'],
    ],
    examples: ['qlp validate . --stages syntax,lint,types', 'qlp validate ./my-app --json'],
    env: [...sandboxEnvironment, 'QLP_HOME'],
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('validate', args, {
      stages: { type: 'string' },
      format: { type: 'string' },
      sandbox: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError(`validate takes one folder, got ${positionals.length}; usage: ${this.usage}`);
    if (values.json && values.format !== undefined && values.format !== 'json')
      throw new UsageError(`--json prints JSON; it cannot go with --format ${values.format}.`);
    const format = (values.format as string | undefined) ?? (values.json ? 'json' : 'text');
    if (!formats.includes(format as (typeof formats)[number])) throw new UsageError(`--format must be one of ${formats.join(', ')}, got '${format}'.`);
    const stages = parseStages(values.stages as string | undefined);
    const root = folder(positionals[0]);
    const sandbox = {
      settings: cliSandboxSettings(io, { sandbox: values.sandbox as string | undefined, timeout: values.timeout as string | undefined }),
      storageDir: defaultStorageDir(io.env),
      env: io.env,
    };
    const service = new ValidationService(
      undefined,
      sandboxRunTests(() => sandbox),
    );
    const progress = process.stderr.isTTY ? (message: string) => io.err(`qlp: ${message}…`) : undefined;
    const signal = interruptSignal();
    let report: ValidationReport;
    try {
      // The user ran qlp on this folder: it is trusted (its ESLint config loads, its tests run).
      report = await service.validate({ root, stages, trusted: true }, signal, progress);
    } catch (err) {
      if (err instanceof CancelledError || signal.aborted) throw new InterruptedError('validation was cancelled; nothing is left running.');
      throw new EnvironmentError(`validation failed: ${(err as Error).message}`);
    } finally {
      await service.dispose();
    }
    io.out(format === 'json' ? toJson(report) : format === 'sarif' ? toSarif(report, root) : toText(report));
    // A tool that failed leaves the run incomplete: an environment failure, said after the report.
    const failure = toolFailure(report);
    if (failure) throw new EnvironmentError(`validation is incomplete: ${failure.message}`);
    return report.diagnostics.some((f) => f.severity === 'error') ? 1 : 0;
  },
};
