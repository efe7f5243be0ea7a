// The one adapter over tar-stream for writing: a ustar archive (pax headers for long names) with
// each entry's permission bits, gzipped for .tar.gz.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { throwIfAborted } from '../../common/cancellation';
import type { SourceEntry, WriteOptions } from './layout';

const smallEntry = 1024 * 1024;

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function writeTar(entries: readonly SourceEntry[], out: string, options: WriteOptions & { gzip: boolean }): Promise<void> {
  const pack = tar.pack();
  const output = createWriteStream(out, { flags: 'wx', mode: 0o644 });
  const done = options.gzip ? pipeline(pack, createGzip(), output, { signal: options.signal }) : pipeline(pack, output, { signal: options.signal });
  done.catch(() => undefined); // awaited below; an abort may reject it while entries are still being added
  let written = 0;
  try {
    for (const entry of entries) {
      throwIfAborted(options.signal);
      const header = { name: entry.name, size: entry.size, mode: entry.mode, mtime: options.mtime, type: 'file' as const, uid: 0, gid: 0 };
      // Small entries (empty ones included) go in whole; their streams still check the content.
      const data = entry.data ?? (entry.size < smallEntry ? await collect(entry.open!()) : undefined);
      if (data) {
        await new Promise<void>((resolve, reject) => pack.entry(header, data, (err) => (err ? reject(err) : resolve())));
        if (!entry.data) options.onBytes?.((written += data.length));
        continue;
      }
      const sink = pack.entry(header);
      const finished = new Promise<void>((resolve, reject) => {
        sink.on('finish', resolve);
        sink.on('error', reject);
      });
      finished.catch(() => undefined); // awaited below unless writing stops first

      for await (const chunk of entry.open!()) {
        throwIfAborted(options.signal);
        written += (chunk as Buffer).length;
        options.onBytes?.(written);
        if (!sink.write(chunk)) await once(sink, 'drain');
      }
      sink.end(() => undefined);
      await finished;
    }
    pack.finalize();
    await done;
  } catch (err) {
    pack.destroy(err as Error);
    await done.catch(() => undefined);
    throw err;
  }
}
