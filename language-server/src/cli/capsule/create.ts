import { resolve } from 'node:path';
import type { CliIo } from '../command';
import { parseCommandArgs } from '../parse';
import { UsageError } from '../errors';
import { interruptible, openService } from './context';
import { count, leftOutLines } from './format';

export const createUsage = 'qlp capsule create <dir> [--name <name>] [--include-secrets] [--json]';

export async function runCreate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('capsule create', args, {
    name: { type: 'string' },
    'include-secrets': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError(`name one folder to snapshot; usage: ${createUsage}.`);
  const service = await openService(io, true);
  const folder = resolve(positionals[0]);
  const result = await interruptible((control) =>
    service.create({ folder, name: values.name as string | undefined, includeSecrets: values['include-secrets'] === true }, control),
  );
  for (const line of leftOutLines(result.leftOut, 'snapshot')) io.err(line);
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else if (result.created) io.out(`Created ${result.id} version ${result.version} (${count(result.files, 'file')}).`);
  else io.out(`${result.id} version ${result.version} already holds this folder as it is (${count(result.files, 'file')}); no new version.`);
  return 0;
}
