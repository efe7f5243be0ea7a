// The one adapter over tar-stream for reading: a tar or tar.gz archive's entries with their type
// and permission bits. For tar.gz the unpacked stream is watched as it flows: past the ratio or
// the total size a capsule may hold, reading stops (a decompression bomb never fills a disk).
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { UnsafeArchiveError } from '../errors';
import { formatBytes, type ArchiveLimits } from '../limits';
import { oneLine, type EntryType, type ReadEntry } from './layout';

const types: Record<string, EntryType> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'directory',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'device',
  'block-device': 'device',
  fifo: 'fifo',
};

function counter(onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      try {
        onBytes(total);
      } catch (err) {
        return callback(err as Error);
      }
      callback(null, chunk);
    },
  });
}

function tarStream(path: string, gzip: boolean, limits: ArchiveLimits): Readable {
  const file = createReadStream(path);
  if (!gzip) return file;
  let packed = 0;
  const gunzip = createGunzip();
  const packedCount = counter((total) => (packed = total));
  const unpackedCount = counter((unpacked) => {
    if (unpacked > limits.maxTotalBytes * 1.05 + 1024 * 1024) {
      throw new UnsafeArchiveError(`The archive unpacks to more than ${formatBytes(limits.maxTotalBytes)}, more than a capsule may hold.`);
    }
    if (unpacked > limits.ratioFloorBytes && unpacked / Math.max(1, packed) > limits.maxRatio) {
      throw new UnsafeArchiveError(
        `The archive unpacks ${formatBytes(packed)} into more than ${formatBytes(unpacked)}, a ratio that marks a decompression bomb.`,
      );
    }
  });
  const forward = (from: Readable) => from.on('error', (err) => unpackedCount.destroy(err));
  forward(file);
  forward(packedCount);
  forward(gunzip);
  return file.pipe(packedCount).pipe(gunzip).pipe(unpackedCount);
}

const damaged = (err: unknown, gzip: boolean) =>
  err instanceof UnsafeArchiveError ? err : new UnsafeArchiveError(`The ${gzip ? 'tar.gz' : 'tar'} archive is damaged (${oneLine((err as Error).message)}).`);

/** An entry's bytes; a stream that breaks off (a truncated archive) is a refusal, not a crash. */
async function* entryContent(entry: AsyncIterable<Buffer>, gzip: boolean): AsyncGenerator<Buffer> {
  try {
    yield* entry;
  } catch (err) {
    throw damaged(err, gzip);
  }
}

export async function* readTar(path: string, gzip: boolean, limits: ArchiveLimits): AsyncGenerator<ReadEntry> {
  const source = tarStream(path, gzip, limits);
  const extract = tar.extract();
  source.on('error', (err) => extract.destroy(err));
  source.pipe(extract);
  try {
    for await (const entry of extract) {
      const { header } = entry;
      const type = types[header.type ?? 'file'] ?? 'other';
      yield {
        name: header.name,
        type,
        size: header.size ?? 0,
        mode: (header.mode ?? 0) & 0o777,
        content: () => entryContent(entry as AsyncIterable<Buffer>, gzip),
      };
      entry.resume();
    }
  } catch (err) {
    throw damaged(err, gzip);
  } finally {
    source.destroy();
    extract.destroy();
  }
}
