import { defaultStorageDir } from '../machine/storage';
import { prepareSandboxes, type PreparedSandbox } from '../sandbox/prepare';
import type { CliCommand } from './command';
import { InterruptedError, interruptSignal, UsageError } from './errors';
import { sandboxEnvironment } from './environment';
import { parseCommandArgs } from './parse';
import { cliSandboxSettings } from './test';

function describe(p: PreparedSandbox): string {
  if (!p.ready) return `✘ ${p.kind}: ${p.error}`;
  const images = p.images.map((i) => `${i.image}${i.imageId ? ` (${i.imageId.slice(0, 19)})` : ''}`).join(', ');
  const stale = p.removedStale ? `; removed ${p.removedStale} stale container${p.removedStale === 1 ? '' : 's'}` : '';
  return `✔ ${p.kind}: ${images} on ${p.runtime}; a trial run took ${p.smokeRunMs} ms${stale}`;
}

export const sandboxCommand: CliCommand = {
  summary: 'Prepare the sandboxes: create the offline image (or pull configured ones) and make a trial run.',
  usage: 'qlp sandbox prepare [--sandbox auto|docker|bwrap] [--json]',
  help: {
    flags: [
      ['--sandbox auto|docker|bwrap', 'Which sandbox to prepare (default auto: each one this machine has).'],
      ['--json', 'Print one JSON document: each sandbox, ready or why not.'],
    ],
    examples: ['qlp sandbox prepare'],
    env: [...sandboxEnvironment, 'QLP_HOME'],
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('sandbox', args, { json: { type: 'boolean' }, sandbox: { type: 'string' } });
    if (positionals[0] !== 'prepare' || positionals.length > 1) throw new UsageError(`usage: ${this.usage}`);
    const settings = cliSandboxSettings(io, { sandbox: (values.sandbox as string | undefined) ?? 'auto' });
    const signal = interruptSignal();
    const results = await prepareSandboxes(settings.mode, {
      settings,
      storageDir: defaultStorageDir(io.env),
      env: io.env,
      signal,
      onProgress: (message) => io.err(`qlp: ${message}`),
    });
    if (signal.aborted) throw new InterruptedError('preparing the sandboxes was cancelled.');
    io.out(values.json ? JSON.stringify({ sandboxes: results }, null, 2) : results.map(describe).join('\n'));
    return results.some((r) => r.ready) ? 0 : 3;
  },
};
