// The one adapter over yazl: writes a zip with each entry's permission bits (as a Unix
// "version made by", which unzip and yauzl honour), deflating what is not compressed already.
import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { SourceEntry, WriteOptions } from './layout';
import { isCompressedName } from './layout';

const regularFile = 0o100000;

export async function writeZip(entries: readonly SourceEntry[], out: string, options: WriteOptions): Promise<void> {
  const zip = new yazl.ZipFile();
  let written = 0;
  const count = () =>
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        options.onBytes?.(written);
        callback(null, chunk);
      },
    });
  const failed = new Promise<never>((_, reject) => zip.on('error', reject));
  const done = pipeline(zip.outputStream, createWriteStream(out, { flags: 'wx', mode: 0o644 }), { signal: options.signal });
  for (const entry of entries) {
    const meta = { mtime: options.mtime, mode: regularFile | entry.mode, compress: !isCompressedName(entry.name) };
    if (entry.data) {
      zip.addBuffer(entry.data, entry.name, meta);
      continue;
    }
    const open = entry.open!;
    zip.addReadStreamLazy(entry.name, { ...meta, size: entry.size }, (callback) => {
      const source = open();
      callback(null, source.pipe(count()));
      source.on('error', (err) => zip.emit('error', err));
    });
  }
  zip.end();
  try {
    await Promise.race([done, failed]);
  } catch (err) {
    (zip.outputStream as Readable).destroy();
    throw err;
  }
}
