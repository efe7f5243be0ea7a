// The schema, as numbered migrations applied in order, each in its own transaction. The same SQL
// runs on PGlite and PostgreSQL. A transaction-scoped advisory lock lets several backends start
// against one database at once without racing each other's migrations.
import type { Database } from './database';

export const migrations: readonly string[] = [
  `CREATE TABLE api_keys (
     id text PRIMARY KEY,
     name text NOT NULL,
     role text NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
     key_hash text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL DEFAULT now(),
     created_by text,
     revoked_at timestamptz
   );
   CREATE TABLE blobs (
     sha256 text PRIMARY KEY,
     size bigint NOT NULL,
     -- The bytes, with PostgreSQL; NULL with the embedded database, which keeps them in files.
     data bytea,
     created_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE capsules (
     id text PRIMARY KEY,
     name text NOT NULL,
     latest_version integer NOT NULL,
     requirements text,
     updated_at timestamptz NOT NULL,
     search text NOT NULL
   );
   CREATE TABLE capsule_versions (
     capsule_id text NOT NULL REFERENCES capsules (id),
     version integer NOT NULL,
     digest text NOT NULL,
     manifest text NOT NULL,
     files integer NOT NULL,
     bytes bigint NOT NULL,
     pushed_by text NOT NULL,
     pushed_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (capsule_id, version)
   );
   CREATE TABLE usage_entries (
     capsule_id text NOT NULL,
     version integer NOT NULL,
     provider text NOT NULL,
     model text NOT NULL,
     tier text NOT NULL,
     calls integer NOT NULL,
     input_tokens bigint NOT NULL,
     output_tokens bigint NOT NULL,
     cost_usd double precision NOT NULL,
     pushed_by text NOT NULL,
     pushed_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE INDEX usage_entries_pushed_at ON usage_entries (pushed_at);
   CREATE TABLE audit_log (
     id bigserial PRIMARY KEY,
     at timestamptz NOT NULL DEFAULT now(),
     key_id text,
     key_name text,
     action text NOT NULL,
     target text,
     detail text
   );
   CREATE INDEX audit_log_at ON audit_log (at);`,
];

export async function migrate(db: Database): Promise<number> {
  await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())').catch(async (err) => {
    // Two backends creating the table at the same moment: the loser sees it exists.
    if (!(await tableExists(db))) throw err;
  });
  let applied = 0;
  for (let i = 0; i < migrations.length; i++) {
    const version = i + 1;
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7170)');
      if ((await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version])).length) return false;
      for (const statement of migrations[i].split(/;\s*(?:\n|$)/).filter((s) => s.trim())) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      return true;
    });
    if (done) applied++;
  }
  return applied;
}

async function tableExists(db: Database): Promise<boolean> {
  return (await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_migrations'")).length > 0;
}
