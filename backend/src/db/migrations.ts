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
  // Teams: every key, capsule, version, usage and audit entry belongs to one; what existed before
  // belongs to 'default'. Capsule ids are unique within a team. Blob bytes stay shared (stored
  // once), but a team sees a blob only once it has uploaded it (team_blobs), so no team can learn
  // what another holds. The QLP_ADMIN_KEY key is global: it manages every team.
  `ALTER TABLE api_keys ADD COLUMN team text NOT NULL DEFAULT 'default';
   ALTER TABLE api_keys ALTER COLUMN team DROP DEFAULT;
   ALTER TABLE api_keys ADD COLUMN global boolean NOT NULL DEFAULT false;
   CREATE INDEX api_keys_team ON api_keys (team);
   ALTER TABLE capsule_versions DROP CONSTRAINT capsule_versions_capsule_id_fkey;
   ALTER TABLE capsule_versions DROP CONSTRAINT capsule_versions_pkey;
   ALTER TABLE capsules DROP CONSTRAINT capsules_pkey;
   ALTER TABLE capsules ADD COLUMN team text NOT NULL DEFAULT 'default';
   ALTER TABLE capsules ALTER COLUMN team DROP DEFAULT;
   ALTER TABLE capsules ADD PRIMARY KEY (team, id);
   CREATE INDEX capsules_team_updated ON capsules (team, updated_at DESC, id);
   ALTER TABLE capsule_versions ADD COLUMN team text NOT NULL DEFAULT 'default';
   ALTER TABLE capsule_versions ALTER COLUMN team DROP DEFAULT;
   ALTER TABLE capsule_versions ADD PRIMARY KEY (team, capsule_id, version);
   ALTER TABLE capsule_versions ADD FOREIGN KEY (team, capsule_id) REFERENCES capsules (team, id);
   ALTER TABLE usage_entries ADD COLUMN team text NOT NULL DEFAULT 'default';
   ALTER TABLE usage_entries ALTER COLUMN team DROP DEFAULT;
   CREATE INDEX usage_entries_team ON usage_entries (team, pushed_at);
   ALTER TABLE audit_log ADD COLUMN team text NOT NULL DEFAULT 'default';
   ALTER TABLE audit_log ALTER COLUMN team DROP DEFAULT;
   CREATE INDEX audit_log_team ON audit_log (team, id);
   CREATE TABLE team_blobs (
     team text NOT NULL,
     sha256 text NOT NULL REFERENCES blobs (sha256),
     PRIMARY KEY (team, sha256)
   );
   INSERT INTO team_blobs (team, sha256) SELECT 'default', sha256 FROM blobs;`,
  // Rate limits shared by every backend on one database: a token bucket per key or address. Not
  // written to the write-ahead log: a crash may refill the buckets, which loses nothing.
  `CREATE UNLOGGED TABLE rate_limits (
     bucket text PRIMARY KEY,
     tokens double precision NOT NULL,
     granted integer NOT NULL,
     refreshed_at timestamptz NOT NULL
   );
   CREATE INDEX rate_limits_refreshed_at ON rate_limits (refreshed_at);`,
];

export async function migrate(db: Database): Promise<number> {
  await db
    .query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())')
    .catch(async (err) => {
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
