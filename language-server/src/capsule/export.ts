// Writes one capsule version as a ZIP, TAR or TAR.GZ archive: capsule.json, its receipts and its
// files (with their modes). Files that look like they hold secrets are left out (and listed in
// the exported manifest's `omitted`) unless the user confirmed. The archive is written to a
// temporary file next to `out` and renamed into place when complete.
import { link, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { filesDigestInput, type CapsuleManifest } from '../../../protocol/capsule';
import type { ArchiveFormat, ExportResult, LeftOutFile } from '../../../protocol/capsuleApi';
import { tempPathFor } from '../common/atomicFile';
import { sha256Hex } from './blobStore';
import type { CapsuleStore } from './capsuleStore';
import type { Control } from '../common/control';
import { CancelledError } from '../common/cancellation';
import { errnoCode } from '../common/errno';
import { CapsuleInputError } from './errors';
import { writeArchive } from './archive/formats';
import { filesPrefix, manifestName, receiptsPrefix, type SourceEntry } from './archive/layout';
import { findSecretsInVersion } from './secretScan';

export interface ExportOptions extends Control {
  format: ArchiveFormat;
  out: string;
  includeSecrets?: boolean;
  overwrite?: boolean;
}

/** The manifest as exported: without the files left out, which it names in `omitted`. */
export function exportedManifest(manifest: CapsuleManifest, leftOut: readonly string[]): CapsuleManifest {
  if (leftOut.length === 0) return manifest;
  const files = manifest.files.filter((f) => !leftOut.includes(f.path));
  return {
    ...manifest,
    files,
    digest: sha256Hex(filesDigestInput(files)),
    // A version that came without some files (a pulled or imported copy) keeps naming them.
    omitted: [...(manifest.omitted ?? []), ...leftOut.map((path) => ({ path, reason: 'secret' as const }))],
  };
}

function receiptEntries(manifest: CapsuleManifest): SourceEntry[] {
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
  const receipts: Array<[string, Buffer]> = [];
  if (manifest.validation) receipts.push(['validation.json', json(manifest.validation)]);
  manifest.receipts.forEach((receipt, i) => receipts.push([`sandbox-${i + 1}.json`, json(receipt)]));
  return receipts.map(([name, data]) => ({ name: `${receiptsPrefix}${name}`, size: data.length, mode: 0o644, data }));
}

async function checkTarget(out: string, overwrite: boolean): Promise<void> {
  const parent = await stat(dirname(out)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new CapsuleInputError(`The folder ${dirname(out)} does not exist; create it or choose another place for the archive.`);
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory()) throw new CapsuleInputError(`${out} is a folder; give the archive a file name.`);
  if (existing && !overwrite) throw new CapsuleInputError(`${out} already exists; choose another file name.`);
}

export async function exportVersion(store: CapsuleStore, manifest: CapsuleManifest, options: ExportOptions): Promise<ExportResult> {
  const out = resolve(options.out);
  await checkTarget(out, options.overwrite ?? false);
  const { signal, onProgress } = options;
  const findings = options.includeSecrets ? [] : await findSecretsInVersion(store, manifest, signal);
  const leftOut: LeftOutFile[] = findings.map((f) => ({ path: f.path, reason: 'secret', rules: f.rules, lines: f.lines }));
  const exported = exportedManifest(
    manifest,
    leftOut.map((l) => l.path),
  );
  const manifestData = Buffer.from(`${JSON.stringify(exported, null, 2)}\n`);
  const entries: SourceEntry[] = [
    { name: manifestName, size: manifestData.length, mode: 0o644, data: manifestData },
    ...receiptEntries(exported),
    ...exported.files.map((file) => ({
      name: `${filesPrefix}${file.path}`,
      size: file.size,
      mode: file.mode,
      open: () => store.blobs.openVerified(file.sha256, file.size, `${file.path} in ${manifest.id}@${manifest.version}`),
    })),
  ];
  const total = exported.files.reduce((sum, f) => sum + f.size, 0);
  const temp = tempPathFor(out);
  try {
    onProgress?.({ message: 'Writing the archive', done: 0, total });
    await writeArchive(options.format, entries, temp, {
      mtime: new Date(manifest.createdAt),
      signal,
      onBytes: (done) => onProgress?.({ message: 'Writing the archive', done, total }),
    });
    // Without permission to replace, link: it fails if `out` appeared meanwhile.
    if (options.overwrite) await rename(temp, out);
    else await link(temp, out);
  } catch (err) {
    if (signal?.aborted || errnoCode(err) === 'ABORT_ERR') throw new CancelledError();
    if (errnoCode(err) === 'EEXIST') throw new CapsuleInputError(`${out} already exists; choose another file name.`);
    throw err;
  } finally {
    await rm(temp, { force: true });
  }
  const { size } = await stat(out);
  return { id: manifest.id, version: manifest.version, out, format: options.format, files: exported.files.length, bytes: size, leftOut };
}
