// API keys. Only a key's sha256 is stored: a key is 32 random bytes, so a fast hash is enough and
// the plain key is shown once, when it is made. Every key belongs to a team; the QLP_ADMIN_KEY key
// is global (an admin of every team).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { defaultTeam, type ApiKeyInfo, type CreatedApiKey, type Role, type WhoAmI } from '../../../protocol/backendApi';
import type { Queryable } from '../db/database';
import { Conflict, NotFound } from '../errors';
import { iso, isoOrNull } from './time';

export type Caller = WhoAmI;

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
export const newKey = (): string => `qlp_${randomBytes(32).toString('base64url')}`;

interface KeyRow {
  id: string;
  name: string;
  role: Role;
  team: string;
  global: boolean;
  created_at: Date;
  created_by: string | null;
  revoked_at: Date | null;
  [key: string]: unknown;
}

const columns = 'id, name, role, team, global, created_at, created_by, revoked_at';
const toInfo = (r: KeyRow): ApiKeyInfo => ({
  id: r.id,
  name: r.name,
  role: r.role,
  team: r.team,
  global: r.global,
  createdAt: iso(r.created_at),
  createdBy: r.created_by,
  revokedAt: isoOrNull(r.revoked_at),
});

/** The live key with this hash (see `hashKey`), if any. */
export async function findKey(db: Queryable, keyHash: string): Promise<Caller | undefined> {
  const [row] = await db.query<KeyRow>('SELECT id, name, role, team, global FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash]);
  return row ? { id: row.id, name: row.name, role: row.role, team: row.team, global: row.global } : undefined;
}

export async function createKey(db: Queryable, name: string, role: Role, team: string, createdBy: string | null, key = newKey()): Promise<CreatedApiKey> {
  const [row] = await db.query<KeyRow>(
    `INSERT INTO api_keys (id, name, role, team, key_hash, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${columns}`,
    [randomUUID(), name, role, team, hashKey(key), createdBy],
  );
  return { ...toInfo(row), key };
}

/**
 * Makes `key` a live global admin key (QLP_ADMIN_KEY, on every start): created the first time,
 * and restored when it was revoked or its role changed since. Says which, for the start's log line.
 */
export async function ensureAdminKey(db: Queryable, key: string): Promise<'created' | 'restored' | 'unchanged'> {
  const hash = hashKey(key);
  const created = await db.query(
    "INSERT INTO api_keys (id, name, role, team, global, key_hash, created_by) VALUES ($1, 'admin (QLP_ADMIN_KEY)', 'admin', $2, true, $3, NULL) ON CONFLICT (key_hash) DO NOTHING RETURNING id",
    [randomUUID(), defaultTeam, hash],
  );
  if (created.length > 0) return 'created';
  const restored = await db.query<{ id: string }>(
    "UPDATE api_keys SET role = 'admin', global = true, revoked_at = NULL WHERE key_hash = $1 AND (role <> 'admin' OR NOT global OR revoked_at IS NOT NULL) RETURNING id",
    [hash],
  );
  return restored.length > 0 ? 'restored' : 'unchanged';
}

/** The keys of `team`, or of every team when it is null. */
export async function listKeys(db: Queryable, team: string | null): Promise<ApiKeyInfo[]> {
  const rows =
    team === null
      ? await db.query<KeyRow>(`SELECT ${columns} FROM api_keys ORDER BY created_at, id`)
      : await db.query<KeyRow>(`SELECT ${columns} FROM api_keys WHERE team = $1 ORDER BY created_at, id`, [team]);
  return rows.map(toInfo);
}

/**
 * Revokes a key of `team` (any team when null: a global admin); another team's key is not found.
 * The last live admin key of a team is refused (409), so a team never locks itself out.
 */
export async function revokeKey(tx: Queryable, id: string, team: string | null): Promise<ApiKeyInfo> {
  const [target] = await tx.query<{ team: string }>('SELECT team FROM api_keys WHERE id = $1', [id]);
  if (!target || (team !== null && target.team !== team)) throw new NotFound(`there is no key '${id}'`);
  // Locks the team's live admin keys, so two admins revoking each other at once cannot both succeed.
  const admins = await tx.query<{ id: string }>("SELECT id FROM api_keys WHERE team = $1 AND role = 'admin' AND revoked_at IS NULL ORDER BY id FOR UPDATE", [
    target.team,
  ]);
  if (admins.length === 1 && admins[0].id === id) {
    throw new Conflict('this is the last admin key; make another admin key before revoking it');
  }
  const [row] = await tx.query<KeyRow>(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${columns}`, [id]);
  return toInfo(row);
}
