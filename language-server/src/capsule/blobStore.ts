// Content-addressed blobs: a file's bytes stored once under their sha256, however many versions
// and capsules hold them. Writes are atomic; every read checks the content against its name, so
// a damaged blob is reported, never served.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tempPathFor } from '../common/atomicFile';
import { errnoCode } from '../common/errno';
import { CorruptStoreError } from './errors';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** false when the store already held these bytes. */
  added: boolean;
}

const blobName = /^[0-9a-f]{64}$/;

export const sha256Hex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

export class BlobStore {
  constructor(readonly dir: string) {}

  path(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /**
   * Stores `data` (written and renamed into place; `flush` makes new blobs durable before a
   * manifest refers to them). A blob that exists already has its time refreshed so collection
   * spares it.
   */
  async putBuffer(data: Uint8Array, sha256 = sha256Hex(data)): Promise<StoredBlob> {
    const path = this.path(sha256);
    if (await this.touch(path)) return { sha256, size: data.byteLength, added: false };
    await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
    const temp = tempPathFor(path);
    try {
      await writeFile(temp, data, { flag: 'wx', mode: 0o444 });
      await rename(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
    return { sha256, size: data.byteLength, added: true };
  }

  /** Flushes new blobs to disk, many at a time (far faster than one by one). */
  async flush(sha256s: Iterable<string>): Promise<void> {
    const pending = [...new Set(sha256s)];
    const worker = async () => {
      for (let sha = pending.pop(); sha !== undefined; sha = pending.pop()) {
        const handle = await open(this.path(sha), 'r');
        await handle.sync().finally(() => handle.close());
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
  }

  /** Streams a (large) file into the store, hashing what is actually copied (see `flush`). */
  async putFile(source: string, signal?: AbortSignal): Promise<StoredBlob> {
    await mkdir(this.dir, { recursive: true });
    const temp = tempPathFor(join(this.dir, 'incoming'));
    try {
      const hasher = hashing();
      await pipeline(createReadStream(source), hasher.stream, createWriteStream(temp, { mode: 0o444, flags: 'wx' }), { signal });
      const { sha256, size } = hasher.result();
      const path = this.path(sha256);
      if (await this.touch(path)) return { sha256, size, added: false };
      await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
      await rename(temp, path);
      return { sha256, size, added: true };
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** The blob's bytes, checked against its hash. `label` names it in errors (e.g. `src/a.ts in app@2`). */
  async read(sha256: string, label: string): Promise<Buffer> {
    let data: Buffer;
    try {
      data = await readFile(this.path(sha256));
    } catch (err) {
      throw this.missing(err, label);
    }
    if (sha256Hex(data) !== sha256) throw corrupt(label);
    return data;
  }

  /** A stream of the blob that fails at its end when the content does not match its hash or size. */
  openVerified(sha256: string, size: number, label: string): Readable {
    const check = hashing((seen) => (seen.size === size && seen.sha256 === sha256 ? null : corrupt(label))).stream;
    const source = createReadStream(this.path(sha256));
    source.on('error', (err) => check.destroy(this.missing(err, label)));
    return source.pipe(check);
  }

  /** Checks one blob without keeping its bytes; resolves to an error sentence or null. */
  async verify(sha256: string, label: string): Promise<string | null> {
    const hash = createHash('sha256');
    try {
      await pipeline(createReadStream(this.path(sha256)), async function (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) hash.update(chunk);
      });
    } catch (err) {
      return this.missing(err, label).message;
    }
    return hash.digest('hex') === sha256 ? null : corrupt(label).message;
  }

  /**
   * Removes blobs no manifest references and temporary files, both only when older than `graceMs`
   * (a snapshot in progress writes its blobs before its manifest, and refreshes the ones it reuses).
   */
  async collect(referenced: ReadonlySet<string>, graceMs: number): Promise<{ removed: number; freedBytes: number }> {
    const cutoff = Date.now() - graceMs;
    let removed = 0;
    let freedBytes = 0;
    for await (const file of this.files()) {
      if (file.mtimeMs > cutoff || (blobName.test(file.name) && referenced.has(file.name))) continue;
      await rm(file.path, { force: true });
      if (!blobName.test(file.name)) continue;
      removed++;
      freedBytes += file.size;
    }
    return { removed, freedBytes };
  }

  /** Every file under the blob folder: blobs, and temporary files a crash may have left. */
  private async *files(): AsyncGenerator<{ name: string; path: string; size: number; mtimeMs: number }> {
    const list = async (dir: string) => readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const top of await list(this.dir)) {
      const topPath = join(this.dir, top.name);
      const children = top.isDirectory() ? await list(topPath) : [top];
      for (const child of children) {
        const path = top.isDirectory() ? join(topPath, child.name) : topPath;
        const info = await stat(path).catch(() => undefined);
        if (info?.isFile()) yield { name: child.name, path, size: info.size, mtimeMs: info.mtimeMs };
      }
    }
  }

  private async touch(path: string): Promise<boolean> {
    const now = new Date();
    return utimes(path, now, now).then(
      () => true,
      () => false,
    );
  }

  private missing(err: unknown, label: string): Error {
    if (errnoCode(err) === 'ENOENT')
      return new CorruptStoreError(`The stored copy of ${label} is missing from the capsule store; delete that version or restore the store from a backup.`);
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** A pass-through stream that hashes and counts what flows, and may fail at its end. */
function hashing(atEnd?: (seen: { sha256: string; size: number }) => Error | null) {
  const hash = createHash('sha256');
  let size = 0;
  let digest: string | undefined;
  const result = () => ({ sha256: (digest ??= hash.digest('hex')), size });
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      callback(atEnd?.(result()) ?? null);
    },
  });
  return { stream, result };
}

function corrupt(label: string): CorruptStoreError {
  return new CorruptStoreError(
    `The stored copy of ${label} is corrupt (its content no longer matches its sha256); it was not used. Delete that version or restore the store from a backup.`,
  );
}
