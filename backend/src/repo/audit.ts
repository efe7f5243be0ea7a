// The audit log: who wrote what, when. Written in the same transaction as the write it records.
import type { AuditEntry } from '../../../protocol/backendApi';
import type { Queryable } from '../db/database';
import type { Caller } from './keys';
import { iso } from './time';

export async function audit(tx: Queryable, caller: Caller | null, action: string, target: string | null, detail: unknown = null): Promise<void> {
  await tx.query('INSERT INTO audit_log (key_id, key_name, action, target, detail) VALUES ($1, $2, $3, $4, $5)', [
    caller?.id ?? null,
    caller?.name ?? null,
    action,
    target,
    detail === null ? null : JSON.stringify(detail),
  ]);
}

export async function auditEntries(db: Queryable, options: { since?: string; action?: string; limit: number }): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.since) where.push(`at >= $${params.push(options.since)}`);
  if (options.action) where.push(`action = $${params.push(options.action)}`);
  params.push(options.limit);
  const rows = await db.query<{ id: number | string; at: Date; key_id: string | null; key_name: string | null; action: string; target: string | null; detail: string | null }>(
    `SELECT id, at, key_id, key_name, action, target, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({ id: Number(r.id), at: iso(r.at), keyId: r.key_id, keyName: r.key_name, action: r.action, target: r.target, detail: r.detail === null ? null : JSON.parse(r.detail) }));
}
