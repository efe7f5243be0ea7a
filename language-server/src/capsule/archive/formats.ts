// Archive formats by name and by content: ZIP, TAR and TAR.GZ.
import { open } from 'node:fs/promises';
import type { ArchiveFormat } from '../../../../protocol/capsuleApi';
import { CapsuleInputError } from '../errors';
import type { ArchiveLimits } from '../limits';
import type { ReadEntry, SourceEntry, WriteOptions } from './layout';
import { readTar } from './tarReader';
import { writeTar } from './tarWriter';
import { readZip } from './zipReader';
import { writeZip } from './zipWriter';

export const archiveFormats: readonly ArchiveFormat[] = ['zip', 'tar', 'tgz'];

export function writeArchive(format: ArchiveFormat, entries: readonly SourceEntry[], out: string, options: WriteOptions): Promise<void> {
  return format === 'zip' ? writeZip(entries, out, options) : writeTar(entries, out, { ...options, gzip: format === 'tgz' });
}

/** The format of the archive at `path`, judged by its first bytes, not its name. */
export async function detectFormat(path: string): Promise<ArchiveFormat> {
  const head = Buffer.alloc(512);
  let read = 0;
  try {
    const handle = await open(path, 'r');
    try {
      read = (await handle.read(head, 0, head.length, 0)).bytesRead;
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new CapsuleInputError(`Cannot read the archive ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (read >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return 'zip';
  if (read >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tgz';
  if (read >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  throw new CapsuleInputError(`${path} is not a ZIP, TAR or TAR.GZ archive.`);
}

export function readArchive(format: ArchiveFormat, path: string, limits: ArchiveLimits): AsyncGenerator<ReadEntry> {
  return format === 'zip' ? readZip(path, limits) : readTar(path, format === 'tgz', limits);
}
