// `qlp capsule push` and `qlp capsule pull`: share capsules through the team backend. The key
// comes from QLP_API_KEY, never from a flag (flags end up in shell histories).
import { resolve } from 'node:path';
import { formatBytes } from '../../capsule/limits';
import { SyncService } from '../../sync/service';
import type { CliIo } from '../command';
import { UsageError } from '../errors';
import { parseCommandArgs } from '../parse';
import { interruptible, openService, parseRef } from './context';
import { count, leftOutLines } from './format';

export const pushUsage = 'qlp capsule push <id[@version]> --server <url> [--include-secrets] [--json]   (key from QLP_API_KEY)';
export const pullUsage = 'qlp capsule pull <id[@version]> --server <url> [--out <dir>] [--json]   (key from QLP_API_KEY)';

function server(values: Record<string, unknown>, usage: string): string {
  const url = values.server ?? undefined;
  if (typeof url !== 'string' || !url) throw new UsageError(`say which backend with --server <url>; usage: ${usage}.`);
  return url;
}

export async function runPush(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('capsule push', args, {
    server: { type: 'string' },
    'include-secrets': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError(`name one capsule to push; usage: ${pushUsage}.`);
  const ref = parseRef(positionals[0], pushUsage);
  const url = server(values, pushUsage);
  const service = await openService(io, false);
  const sync = new SyncService(service, async () => ({ url, key: io.env.QLP_API_KEY }));
  // Files that look like they hold secrets stay behind unless --include-secrets, as in an export.
  const result = await interruptible((control) => sync.push(ref, control, { includeSecrets: values['include-secrets'] === true }));
  for (const line of leftOutLines(result.leftOut, 'push')) io.err(line);
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else if (result.status === 'unchanged') io.out(`${result.id}@${result.version} is already on the backend (${count(result.blobsSent, 'file')} sent).`);
  else io.out(`Pushed ${result.id}@${result.version} (${count(result.blobsSent, 'new file')} sent, ${formatBytes(result.bytesSent)}).`);
  return 0;
}

export async function runPull(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('capsule pull', args, { server: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError(`name one capsule to pull; usage: ${pullUsage}.`);
  const ref = parseRef(positionals[0], pullUsage);
  const url = server(values, pullUsage);
  const out = resolve(typeof values.out === 'string' && values.out ? values.out : ref.id);
  const sync = new SyncService(await openService(io, true), async () => ({ url, key: io.env.QLP_API_KEY }));
  const result = await interruptible((control) => sync.pull(ref, out, control));
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else
    io.out(
      `Pulled ${result.id} version ${result.version} into ${result.out} (${count(result.files, 'file')}, ${result.blobsFetched} fetched, every hash checked).`,
    );
  return 0;
}
