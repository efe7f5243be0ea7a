// A database written before teams existed (schema version 1) moves into the team 'default' on the
// first start of this backend: its keys, capsules, blobs, usage and audit entries.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migrations } from '../../backend/src/db/migrations';
import { adminKey, api, startBackendProcess, type BackendProcess } from '../support/backendProcess';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../support/postgres';

const oldKey = 'qlp_an-old-writer-key-from-before-teams';
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

describe('a database from before teams', { skip: postgresSkipReason() }, () => {
  let cluster: PostgresCluster;
  let backend: BackendProcess;
  const blob = 'hello from before\n';

  before(async () => {
    cluster = await startPostgres();
    const sql = new pg.Client({ connectionString: cluster.url });
    await sql.connect();
    try {
      await sql.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      await sql.query(migrations[0]);
      await sql.query('INSERT INTO schema_migrations (version) VALUES (1)');
      await sql.query("INSERT INTO api_keys (id, name, role, key_hash) VALUES ('k1', 'old writer', 'writer', $1)", [sha256(oldKey)]);
      await sql.query('INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3)', [sha256(blob), blob.length, Buffer.from(blob)]);
      await sql.query(
        "INSERT INTO capsules (id, name, latest_version, requirements, updated_at, search) VALUES ('old-capsule', 'old capsule', 1, null, now(), 'old capsule')",
      );
      await sql.query(
        "INSERT INTO capsule_versions (capsule_id, version, digest, manifest, files, bytes, pushed_by) VALUES ('old-capsule', 1, $1, '{}', 1, $2, 'old writer')",
        ['d'.repeat(64), blob.length],
      );
      await sql.query(
        "INSERT INTO usage_entries (capsule_id, version, provider, model, tier, calls, input_tokens, output_tokens, cost_usd, pushed_by) VALUES ('old-capsule', 1, 'openai', 'gpt-4.1', 'T1', 1, 10, 5, 0.75, 'old writer')",
      );
      await sql.query("INSERT INTO audit_log (key_id, key_name, action, target) VALUES ('k1', 'old writer', 'capsule.push', 'old-capsule@1')");
    } finally {
      await sql.end();
    }
    backend = await startBackendProcess({ databaseUrl: cluster.url });
  });
  after(async () => {
    await backend?.stop();
    cluster?.stop();
  });

  it('finds everything in the team default', async () => {
    const writer = api(backend.url, oldKey);
    const me = (await writer('/v1/whoami')).json;
    assert.deepEqual([me.name, me.team, me.global], ['old writer', 'default', false]);
    assert.deepEqual(
      (await writer('/v1/capsules')).json.capsules.map((c: { id: string }) => c.id),
      ['old-capsule'],
    );
    assert.equal((await writer('/v1/capsules/old-capsule')).json.latest, 1);
    assert.deepEqual((await writer('/v1/blobs/missing', { method: 'POST', json: { sha256s: [sha256(blob)] } })).json.missing, []);
    assert.equal((await writer(`/v1/blobs/${sha256(blob)}`)).text, blob);
    const usage = (await writer('/v1/usage')).json;
    assert.deepEqual([usage.team, usage.total.costUsd], ['default', 0.75]);
    // A new team starts empty.
    const admin = api(backend.url, adminKey);
    const other = (await admin('/v1/keys', { method: 'POST', json: { name: 'new team', role: 'admin', team: 'newcomers' } })).json.key;
    assert.deepEqual((await api(backend.url, other)('/v1/capsules')).json.capsules, []);
    assert.deepEqual(
      (await api(backend.url, other)('/v1/audit')).json.entries.map((e: { action: string }) => e.action),
      ['key.create'],
    );
    const oldAudit = (await admin('/v1/audit?action=capsule.push')).json.entries.find((e: { target: string }) => e.target === 'old-capsule@1');
    assert.equal(oldAudit.team, 'default');
  });
});
