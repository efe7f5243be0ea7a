import { counted } from '../../../../protocol/validate';
import type { CliIo } from '../command';
import { parseCommandArgs } from '../parse';
import { UsageError } from '../errors';
import { openService, parseRef } from './context';
import { table, versionLine } from './format';

export const listUsage = 'qlp capsule list [--json]';
export const showUsage = 'qlp capsule show <id[@version]> [--json]';

export async function runList(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('capsule list', args, { json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`capsule list takes no arguments, got '${positionals[0]}'.`);
  const capsules = await (await openService(io, false)).list();
  const rows = capsules.map((c) => ({
    id: c.id,
    name: c.name,
    version: c.latest,
    createdAt: c.versions[0].createdAt,
    files: c.versions[0].files,
    folder: c.folder,
    versions: c.versions.length,
  }));
  if (values.json) io.out(JSON.stringify({ capsules: rows }, null, 2));
  else if (rows.length === 0) io.out('No capsules in this workspace yet; make one with: qlp capsule create <dir>');
  else
    io.out(
      table([
        ['ID', 'NAME', 'VERSION', 'FILES', 'CREATED', 'FOLDER'],
        ...rows.map((r) => [r.id, r.name, String(r.version), String(r.files), r.createdAt, r.folder]),
      ]),
    );
  return 0;
}

export async function runShow(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('capsule show', args, { json: { type: 'boolean' } });
  if (positionals.length > 1) throw new UsageError(`name one capsule; usage: ${showUsage}.`);
  const shown = await (await openService(io, false)).show(parseRef(positionals[0], showUsage));
  if (values.json) {
    io.out(JSON.stringify(shown, null, 2));
    return 0;
  }
  const { capsule, manifest } = shown;
  io.out(
    [
      `${capsule.name} (${capsule.id}) in ${capsule.folder}`,
      'Versions:',
      ...capsule.versions.map((v) => `  ${v.version === manifest.version ? '*' : ' '} ${versionLine(v)}`),
      `Version ${manifest.version}: ${counted(manifest.files.length, 'file')}${manifest.requirements ? `, from: ${manifest.requirements}` : ''}`,
      ...manifest.files.map((f) => `  ${f.mode.toString(8)}  ${String(f.size).padStart(9)}  ${f.path}`),
    ].join('\n'),
  );
  return 0;
}
