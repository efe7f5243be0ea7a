// API keys. Only a key's sha256 is stored: a key is 32 random bytes, so a fast hash is enough and
// the plain key is shown once, when it is made.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKeyInfo, CreatedApiKey, Role } from '../../../protocol/backendApi';
import type { Queryable } from '../db/database';
import { Conflict, NotFound } from '../errors';
import { iso, isoOrNull } from './time';

export interface Caller {
  id: string;
  name: string;
  role: Role;
}

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
export const newKey = (): string => `qlp_${randomBytes(32).toString('base64url')}`;

interface KeyRow {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  created_by: string | null;
  revoked_at: Date | null;
  [key: string]: unknown;
}

const toInfo = (r: KeyRow): ApiKeyInfo => ({ id: r.id, name: r.name, role: r.role, createdAt: iso(r.created_at), createdBy: r.created_by, revokedAt: isoOrNull(r.revoked_at) });

/** The live key with this hash (see `hashKey`), if any. */
export async function findKey(db: Queryable, keyHash: string): Promise<Caller | undefined> {
  const [row] = await db.query<KeyRow>('SELECT id, name, role FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash]);
  return row ? { id: row.id, name: row.name, role: row.role } : undefined;
}

export async function createKey(db: Queryable, name: string, role: Role, createdBy: string | null, key = newKey()): Promise<CreatedApiKey> {
  const [row] = await db.query<KeyRow>(
    'INSERT INTO api_keys (id, name, role, key_hash, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id, name, role, created_at, created_by, revoked_at',
    [randomUUID(), name, role, hashKey(key), createdBy],
  );
  return { ...toInfo(row), key };
}

/**
 * Makes `key` a live admin key (QLP_ADMIN_KEY, on every start): created the first time, and
 * restored when it was revoked or its role changed since. Says which, for the start's log line.
 */
export async function ensureAdminKey(db: Queryable, key: string): Promise<'created' | 'restored' | 'unchanged'> {
  const hash = hashKey(key);
  const created = await db.query(
    "INSERT INTO api_keys (id, name, role, key_hash, created_by) VALUES ($1, 'admin (QLP_ADMIN_KEY)', 'admin', $2, NULL) ON CONFLICT (key_hash) DO NOTHING RETURNING id",
    [randomUUID(), hash],
  );
  if (created.length > 0) return 'created';
  const restored = await db.query<{ id: string }>(
    "UPDATE api_keys SET role = 'admin', revoked_at = NULL WHERE key_hash = $1 AND (role <> 'admin' OR revoked_at IS NOT NULL) RETURNING id",
    [hash],
  );
  return restored.length > 0 ? 'restored' : 'unchanged';
}

export async function listKeys(db: Queryable): Promise<ApiKeyInfo[]> {
  return (await db.query<KeyRow>('SELECT id, name, role, created_at, created_by, revoked_at FROM api_keys ORDER BY created_at, id')).map(toInfo);
}

/** Revokes a key; the last live admin key is refused (409), so the team never locks itself out. */
export async function revokeKey(tx: Queryable, id: string): Promise<ApiKeyInfo> {
  // Locks the live admin keys, so two admins revoking each other at once cannot both succeed.
  const admins = await tx.query<{ id: string }>("SELECT id FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL ORDER BY id FOR UPDATE");
  if (admins.length === 1 && admins[0].id === id) {
    throw new Conflict('this is the last admin key; make another admin key before revoking it');
  }
  const [row] = await tx.query<KeyRow>(
    'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id, name, role, created_at, created_by, revoked_at',
    [id],
  );
  if (!row) throw new NotFound(`there is no key '${id}'`);
  return toInfo(row);
}
