// Opens the database the configuration names and brings its schema up to date.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './database';
import { migrate } from './migrations';
import { openEmbedded } from './pglite';
import { openPostgres } from './postgres';

export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  let db: Database;
  if (options.databaseUrl) {
    db = await openPostgres(options.databaseUrl);
  } else {
    // <data>/database holds PGlite's files, <data>/blobs the blob bytes (see blobData.ts).
    await mkdir(join(options.dataDir, 'database'), { recursive: true });
    db = await openEmbedded(join(options.dataDir, 'database'));
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
