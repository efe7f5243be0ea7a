import type { CliIo } from '../command';
import { parseCommandArgs } from '../parse';
import { UsageError } from '../errors';
import { interruptible, openService, parseRef } from './context';
import { count } from './format';

export const restoreUsage = 'qlp capsule restore <id[@version]> [--json]';

export async function runRestore(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('capsule restore', args, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError(`name one version to restore; usage: ${restoreUsage}.`);
  const ref = parseRef(positionals[0], restoreUsage);
  const service = await openService(io, true);
  const result = await interruptible((control) => service.restore({ ref }, control));
  if (values.json) {
    io.out(JSON.stringify(result, null, 2));
    return 0;
  }
  const backup = result.backup
    ? result.backup.created
      ? ` The folder as it was is kept as version ${result.backup.version}.`
      : ` The folder as it was is version ${result.backup.version}.`
    : '';
  io.out(
    `Restored ${result.id} version ${result.version} into ${result.folder} (${count(result.written, 'file')} written, ${result.deleted} removed).${backup}`,
  );
  return 0;
}
