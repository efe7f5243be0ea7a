// The audit log: who wrote what, when, in which team. Written in the same transaction as the write
// it records.
import type { AuditEntry } from '../../../protocol/backendApi';
import type { Queryable } from '../db/database';
import type { Caller } from './keys';
import { iso } from './time';

export async function audit(tx: Queryable, team: string, caller: Caller | null, action: string, target: string | null, detail: unknown = null): Promise<void> {
  await tx.query('INSERT INTO audit_log (team, key_id, key_name, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
    team,
    caller?.id ?? null,
    caller?.name ?? null,
    action,
    target,
    detail === null ? null : JSON.stringify(detail),
  ]);
}

/** Entries of `team` (every team when null), newest first. */
export async function auditEntries(db: Queryable, team: string | null, options: { since?: string; action?: string; limit: number }): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (team !== null) where.push(`team = $${params.push(team)}`);
  if (options.since) where.push(`at >= $${params.push(options.since)}`);
  if (options.action) where.push(`action = $${params.push(options.action)}`);
  params.push(options.limit);
  const rows = await db.query<{
    id: number | string;
    at: Date;
    team: string;
    key_id: string | null;
    key_name: string | null;
    action: string;
    target: string | null;
    detail: string | null;
  }>(
    `SELECT id, at, team, key_id, key_name, action, target, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: iso(r.at),
    team: r.team,
    keyId: r.key_id,
    keyName: r.key_name,
    action: r.action,
    target: r.target,
    detail: r.detail === null ? null : JSON.parse(r.detail),
  }));
}
