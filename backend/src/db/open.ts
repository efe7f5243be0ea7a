// Opens the database the configuration names and brings its schema up to date.
import { mkdir } from 'node:fs/promises';
import type { Database } from './database';
import { migrate } from './migrations';
import { openEmbedded } from './pglite';
import { openPostgres } from './postgres';

export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  let db: Database;
  if (options.databaseUrl) {
    db = await openPostgres(options.databaseUrl);
  } else {
    await mkdir(options.dataDir, { recursive: true });
    db = await openEmbedded(options.dataDir);
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
