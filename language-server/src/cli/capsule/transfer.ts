// `qlp capsule export` and `qlp capsule import`.
import { basename, resolve } from 'node:path';
import type { ArchiveFormat } from '../../../../protocol/capsuleApi';
import { archiveFormats } from '../../capsule/archive/formats';
import { formatBytes } from '../../capsule/limits';
import type { CliIo } from '../command';
import { parseCommandArgs } from '../parse';
import { UsageError } from '../errors';
import { interruptible, openService, parseRef } from './context';
import { count, leftOutLines } from './format';

export const exportUsage = 'qlp capsule export <id[@version]> --format zip|tar|tgz --out <file> [--include-secrets] [--json]';
export const importUsage = 'qlp capsule import <archive> [--out <dir>] [--json]';

function formatOf(format: string | undefined, out: string): ArchiveFormat {
  if (format !== undefined) {
    if (!(archiveFormats as readonly string[]).includes(format)) throw new UsageError(`--format must be zip, tar or tgz, not '${format}'.`);
    return format as ArchiveFormat;
  }
  if (/\.zip$/i.test(out)) return 'zip';
  if (/\.(tar\.gz|tgz)$/i.test(out)) return 'tgz';
  if (/\.tar$/i.test(out)) return 'tar';
  throw new UsageError(`give --format zip, tar or tgz (the name ${basename(out)} does not say which).`);
}

export async function runExport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('capsule export', args, {
    format: { type: 'string' },
    out: { type: 'string' },
    'include-secrets': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError(`name one capsule to export; usage: ${exportUsage}.`);
  if (typeof values.out !== 'string' || !values.out) throw new UsageError(`say where to write the archive with --out <file>; usage: ${exportUsage}.`);
  const ref = parseRef(positionals[0], exportUsage);
  const out = resolve(values.out);
  const format = formatOf(values.format as string | undefined, out);
  const service = await openService(io, false);
  const result = await interruptible((control) => service.export({ ref, format, out, includeSecrets: values['include-secrets'] === true }, control));
  for (const line of leftOutLines(result.leftOut, 'export')) io.err(line);
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else io.out(`Exported ${result.id}@${result.version} to ${result.out} (${count(result.files, 'file')}, ${formatBytes(result.bytes)}).`);
  return 0;
}

export async function runImport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('capsule import', args, { out: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError(`name one archive to import; usage: ${importUsage}.`);
  const archive = resolve(positionals[0]);
  const out = resolve(typeof values.out === 'string' && values.out ? values.out : basename(archive).replace(/\.(zip|tar|tar\.gz|tgz)$/i, '') || 'capsule');
  const service = await openService(io, true);
  const result = await interruptible((control) => service.import({ archive, out }, control));
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else io.out(`Imported ${result.id} version ${result.version} into ${result.out} (${count(result.files, 'file')}, every hash checked).`);
  return 0;
}
