// The one adapter over yauzl: reads a zip's entries with their type and permission bits, and
// refuses encrypted entries and entries whose compression ratio looks like a decompression bomb.
// Names are left undecoded by yauzl so that the importer judges them and says why it refuses.
// Every entry's bytes are checked against its declared size (by yauzl) and its CRC-32 (here:
// yauzl does not), and any read error becomes one sentence: a damaged zip never crashes import.
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { UnsafeArchiveError } from '../errors';
import { formatBytes, type ArchiveLimits } from '../limits';
import { oneLine, quotedName, type EntryType, type ReadEntry } from './layout';

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

const damaged = (err: unknown) =>
  err instanceof UnsafeArchiveError ? err : new UnsafeArchiveError(`The zip archive is damaged (${oneLine((err as Error).message)}).`);

async function* entryContent(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string): AsyncGenerator<Buffer> {
  let stream: Readable | undefined;
  try {
    stream = await zip.openReadStreamPromise(entry);
    // yauzl forwards some errors a tick late; one arriving after the entry was read must not
    // become an unhandled 'error' event.
    stream.on('error', () => undefined);
    let crc = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      yield chunk;
    }
    if (crc !== entry.crc32) throw new UnsafeArchiveError(`The archive entry ${quotedName(name)} fails its CRC-32 check; the archive is damaged.`);
  } catch (err) {
    throw damaged(err);
  } finally {
    stream?.destroy();
  }
}

export async function* readZip(path: string, limits: ArchiveLimits): AsyncGenerator<ReadEntry> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
  } catch (err) {
    throw new UnsafeArchiveError(`The archive is not a readable zip (${oneLine((err as Error).message)}).`);
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new UnsafeArchiveError(`The archive holds ${zip.entryCount} entries, more than the ${limits.maxEntries} a capsule may hold.`);
    }
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
      const unixMode = entry.versionMadeBy >> 8 === unixHost ? entry.externalFileAttributes >>> 16 : 0;
      const type = typeOf(name, unixMode);
      if (entry.isEncrypted()) throw new UnsafeArchiveError(`The archive entry ${quotedName(name)} is encrypted, which capsules never are.`);
      const { uncompressedSize: size, compressedSize } = entry;
      if (type === 'file' && size > limits.ratioFloorBytes && size / Math.max(1, compressedSize) > limits.maxRatio) {
        throw new UnsafeArchiveError(
          `The archive entry ${quotedName(name)} unpacks ${formatBytes(compressedSize)} into ${formatBytes(size)}, a ratio that marks a decompression bomb.`,
        );
      }
      yield { name, type, size, mode: unixMode & 0o777, content: () => entryContent(zip, entry, name) };
    }
  } catch (err) {
    throw damaged(err);
  } finally {
    zip.close();
  }
}
