import type { CliIo } from '../command';
import { parseCommandArgs } from '../parse';
import { UsageError } from '../errors';
import { interruptible, openService, parseRef, showRef } from './context';
import { changeLine } from './format';

export const diffUsage = 'qlp capsule diff <id[@version]> [<id[@version]>] [--json]';

export async function runDiff(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('capsule diff', args, { json: { type: 'boolean' } });
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError(`name one version (to compare with its folder) or two; usage: ${diffUsage}.`);
  const from = parseRef(positionals[0], diffUsage);
  const to = positionals[1] === undefined ? 'folder' : parseRef(positionals[1], diffUsage);
  const service = await openService(io, false);
  const result = await interruptible((control) => service.diff({ from, to }, control));
  if (values.json) {
    io.out(JSON.stringify(result, null, 2));
    return 0;
  }
  const target = result.to === 'folder' ? `the folder ${result.folder}` : showRef(result.to);
  if (result.changes.length === 0) io.out(`No changes between ${showRef(result.from)} and ${target}.`);
  else io.out([`${showRef(result.from)} → ${target}:`, ...result.changes.map(changeLine)].join('\n'));
  return 0;
}
