// The one adapter over yauzl: reads a zip's entries with their type and permission bits, and
// refuses encrypted entries and entries whose compression ratio looks like a decompression bomb.
// Names are left undecoded by yauzl so that the importer judges them and says why it refuses.
import yauzl from 'yauzl';
import { UnsafeArchiveError } from '../errors';
import { formatBytes, type ArchiveLimits } from '../limits';
import type { EntryType, ReadEntry } from './layout';

const unixHost = 3;

function typeOf(name: string, unixMode: number): EntryType {
  if (name.endsWith('/')) return 'directory';
  switch (unixMode & 0o170000) {
    case 0:
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'symlink';
    case 0o020000:
    case 0o060000:
      return 'device';
    case 0o010000:
      return 'fifo';
    default:
      return 'other';
  }
}

export async function* readZip(path: string, limits: ArchiveLimits): AsyncGenerator<ReadEntry> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
  } catch (err) {
    throw new UnsafeArchiveError(`The archive is not a readable zip (${(err as Error).message}).`);
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new UnsafeArchiveError(`The archive holds ${zip.entryCount} entries, more than the ${limits.maxEntries} a capsule may hold.`);
    }
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
      const unixMode = entry.versionMadeBy >> 8 === unixHost ? entry.externalFileAttributes >>> 16 : 0;
      const type = typeOf(name, unixMode);
      if (entry.isEncrypted()) throw new UnsafeArchiveError(`The archive entry ${name} is encrypted, which capsules never are.`);
      const { uncompressedSize: size, compressedSize } = entry;
      if (type === 'file' && size > limits.ratioFloorBytes && size / Math.max(1, compressedSize) > limits.maxRatio) {
        throw new UnsafeArchiveError(`The archive entry ${name} unpacks ${formatBytes(compressedSize)} into ${formatBytes(size)}, a ratio that marks a decompression bomb.`);
      }
      yield { name, type, size, mode: unixMode & 0o777, open: () => zip.openReadStreamPromise(entry) };
    }
  } catch (err) {
    if (err instanceof UnsafeArchiveError) throw err;
    throw new UnsafeArchiveError(`The zip archive is damaged (${(err as Error).message}).`);
  } finally {
    zip.close();
  }
}
