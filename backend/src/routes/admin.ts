// Keys management, the audit log and team usage reports.
import { roles, type Role, type UsageReport } from '../../../protocol/backendApi';
import { callerOf } from '../context';
import { audit, auditEntries } from '../repo/audit';
import { createKey, listKeys, revokeKey } from '../repo/keys';
import { usageReport } from '../repo/usage';
import type { RouteDef } from './route';

const keyInfo = {
  type: 'object',
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, role: { enum: roles }, createdAt: { type: 'string' },
    createdBy: { type: ['string', 'null'] }, revokedAt: { type: ['string', 'null'] },
  },
};
const timestamp = { type: 'string', format: 'date-time' };

export const adminRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/v1/whoami',
    summary: 'The calling key: its id, name and role.',
    role: 'reader',
    async handler(request) {
      return callerOf(request);
    },
  },
  {
    method: 'GET',
    url: '/v1/usage',
    summary: 'Team model usage and cost from the ledgers of pushed capsules, grouped by provider, model, tier, capsule, pusher or day.',
    role: 'reader',
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { by: { enum: ['provider', 'model', 'tier', 'capsule', 'pushedBy', 'day'], default: 'provider' }, from: timestamp, to: timestamp },
    },
    async handler(request, _reply, ctx) {
      const { by, from, to } = request.query as { by: UsageReport['by']; from?: string; to?: string };
      return usageReport(ctx.db, by, from, to);
    },
  },
  {
    method: 'GET',
    url: '/v1/keys',
    summary: 'Every key (never the key itself: the server keeps only hashes).',
    role: 'admin',
    response: { type: 'object', properties: { keys: { type: 'array', items: keyInfo } } },
    async handler(_request, _reply, ctx) {
      return { keys: await listKeys(ctx.db) };
    },
  },
  {
    method: 'POST',
    url: '/v1/keys',
    summary: 'Make a key with a role; the answer holds the key, shown this once.',
    role: 'admin',
    body: {
      type: 'object',
      required: ['name', 'role'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f]+$' }, role: { enum: roles } },
    },
    async handler(request, reply, ctx) {
      const { name, role } = request.body as { name: string; role: Role };
      const caller = callerOf(request);
      const created = await ctx.db.transaction(async (tx) => {
        const key = await createKey(tx, name, role, caller.name);
        await audit(tx, caller, 'key.create', key.id, { name, role });
        return key;
      });
      return reply.code(201).send(created);
    },
  },
  {
    method: 'DELETE',
    url: '/v1/keys/:id',
    summary: 'Revoke a key; it is refused from then on.',
    role: 'admin',
    params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } },
    async handler(request, _reply, ctx) {
      const { id } = request.params as { id: string };
      const caller = callerOf(request);
      const revoked = await ctx.db.transaction(async (tx) => {
        const key = await revokeKey(tx, id);
        await audit(tx, caller, 'key.revoke', id, { name: key.name });
        return key;
      });
      ctx.keyCache.clear();
      return revoked;
    },
  },
  {
    method: 'GET',
    url: '/v1/audit',
    summary: 'The audit log of writes (who, what, when), newest first.',
    role: 'admin',
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { since: timestamp, action: { type: 'string', maxLength: 64 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
    },
    async handler(request, _reply, ctx) {
      const { since, action, limit } = request.query as { since?: string; action?: string; limit: number };
      return { entries: await auditEntries(ctx.db, { since, action, limit }) };
    },
  },
];
