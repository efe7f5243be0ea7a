// Where blob bytes live. The `blobs` table always lists which blobs exist (sha256, size) and is
// what pushes check against; the bytes go either into that table (PostgreSQL, so several
// backends can share one database) or into the capsule engine's content-addressed file store
// under the data folder (the embedded database, whose WebAssembly bytea handling is slow).
import type { BlobFrame } from '../../protocol/blobFrames';
import { BlobStore } from '../../language-server/src/capsule/blobStore';
import type { Queryable } from './db/database';

export interface BlobData {
  /**
   * Bytes held in memory per blob byte while a blob is stored or read, its body's own included:
   * 1 for files; about 5 in the database, whose driver passes bytea as hex text inside a message.
   */
  readonly memoryFactor: number;
  /** Stores verified frames and lists them in `blobs`; returns how many were new. */
  put(tx: Queryable, frames: readonly BlobFrame[]): Promise<number>;
  /** The stored blobs among `sha256s` (absent ones are left out). */
  get(db: Queryable, sha256s: readonly string[]): Promise<BlobFrame[]>;
}

/** Many rows per statement: one round trip per chunk instead of one per blob. */
const rowsPerInsert = 500;

async function insertRows(tx: Queryable, frames: readonly BlobFrame[], withData: boolean): Promise<number> {
  const columns = withData ? 3 : 2;
  let stored = 0;
  for (let i = 0; i < frames.length; i += rowsPerInsert) {
    const chunk = frames.slice(i, i + rowsPerInsert);
    const values = chunk.map((_, j) => `(${Array.from({ length: columns }, (_, k) => `$${columns * j + k + 1}`).join(', ')})`).join(', ');
    const params = chunk.flatMap((f) => (withData ? [f.sha256, f.data.byteLength, f.data] : [f.sha256, f.data.byteLength]));
    const sql = `INSERT INTO blobs (sha256, size${withData ? ', data' : ''}) VALUES ${values} ON CONFLICT (sha256) DO NOTHING RETURNING sha256`;
    stored += (await tx.query(sql, params)).length;
  }
  return stored;
}

export function databaseBlobData(): BlobData {
  return {
    memoryFactor: 5,
    async put(tx, frames) {
      // Bytes already stored (by any team) are not sent to the database again.
      const stored = await tx.query<{ sha256: string }>('SELECT sha256 FROM blobs WHERE sha256 = ANY($1::text[])', [frames.map((f) => f.sha256)]);
      const have = new Set(stored.map((r) => r.sha256));
      return insertRows(
        tx,
        frames.filter((f) => !have.has(f.sha256)),
        true,
      );
    },
    async get(db, sha256s) {
      const rows = await db.query<{ sha256: string; data: Uint8Array }>('SELECT sha256, data FROM blobs WHERE sha256 = ANY($1::text[])', [
        [...new Set(sha256s)],
      ]);
      return rows.map((r) => ({ sha256: r.sha256, data: r.data }));
    },
  };
}

export function fileBlobData(dir: string): BlobData {
  const store = new BlobStore(dir);
  return {
    memoryFactor: 1,
    async put(tx, frames) {
      // Files first (made durable), then the rows that make them count: a crash in between
      // leaves only unlisted files, which the next upload of the same blob reuses.
      const added: string[] = [];
      for (const frame of frames) if ((await store.putBuffer(frame.data, frame.sha256)).added) added.push(frame.sha256);
      await store.flush(added);
      return insertRows(tx, frames, false);
    },
    async get(db, sha256s) {
      const rows = await db.query<{ sha256: string }>('SELECT sha256 FROM blobs WHERE sha256 = ANY($1::text[])', [[...new Set(sha256s)]]);
      return Promise.all(rows.map(async (r) => ({ sha256: r.sha256, data: await store.read(r.sha256, `blob ${r.sha256}`) })));
    },
  };
}
