// Keys management, the audit log and usage reports, each for the caller's team; a global admin
// key (QLP_ADMIN_KEY) covers every team, or the one its X-QLP-Team header names.
import { roles, teamPattern, type Role, type UsageReport } from '../../../protocol/backendApi';
import { announceKeysChanged, keysChanged } from '../changes';
import { callerOf } from '../context';
import { HttpError } from '../errors';
import { audit, auditEntries } from '../repo/audit';
import { createKey, listKeys, revokeKey } from '../repo/keys';
import { usageReport } from '../repo/usage';
import { actingTeam, listedTeam } from '../teams';
import type { RouteDef } from './route';

const keyInfo = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { enum: roles },
    team: { type: 'string' },
    global: { type: 'boolean' },
    createdAt: { type: 'string' },
    createdBy: { type: ['string', 'null'] },
    revokedAt: { type: ['string', 'null'] },
  },
};
const timestamp = { type: 'string', format: 'date-time' };
const teamSchema = { type: 'string', pattern: teamPattern.source, maxLength: 40 };

export const adminRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/v1/whoami',
    summary: 'The calling key: its id, name, role and team, and whether it is the global admin key.',
    role: 'reader',
    response: {
      type: 'object',
      properties: { id: { type: 'string' }, name: { type: 'string' }, role: { enum: roles }, team: { type: 'string' }, global: { type: 'boolean' } },
    },
    async handler(request) {
      return callerOf(request);
    },
  },
  {
    method: 'GET',
    url: '/v1/usage',
    summary:
      "The team's model usage and cost from the ledgers of pushed capsules, grouped by provider, model, tier, capsule, pusher or day (a global key without X-QLP-Team: every team, also by team).",
    role: 'reader',
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { by: { enum: ['provider', 'model', 'tier', 'capsule', 'pushedBy', 'day', 'team'], default: 'provider' }, from: timestamp, to: timestamp },
    },
    async handler(request, _reply, ctx) {
      const { by, from, to } = request.query as { by: UsageReport['by']; from?: string; to?: string };
      return usageReport(ctx.db, listedTeam(request), by, from, to);
    },
  },
  {
    method: 'GET',
    url: '/v1/keys',
    summary: "The team's keys (a global key without X-QLP-Team: every team's), never the keys themselves: the server keeps only hashes.",
    role: 'admin',
    response: { type: 'object', properties: { keys: { type: 'array', items: keyInfo } } },
    async handler(request, _reply, ctx) {
      return { keys: await listKeys(ctx.db, listedTeam(request)) };
    },
  },
  {
    method: 'POST',
    url: '/v1/keys',
    summary: "Make a key with a role in a team (the caller's own by default; only a global key names another); the answer holds the key, shown this once.",
    role: 'admin',
    body: {
      type: 'object',
      required: ['name', 'role'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f]+$' }, role: { enum: roles }, team: teamSchema },
    },
    async handler(request, reply, ctx) {
      const { name, role, team: named } = request.body as { name: string; role: Role; team?: string };
      const caller = callerOf(request);
      const team = named ?? actingTeam(request);
      if (team !== caller.team && !caller.global) throw new HttpError(403, `an admin of team '${caller.team}' makes keys for that team only`);
      const created = await ctx.db.transaction(async (tx) => {
        const key = await createKey(tx, name, role, team, caller.name);
        await audit(tx, team, caller, 'key.create', key.id, { name, role });
        return key;
      });
      return reply.code(201).send(created);
    },
  },
  {
    method: 'DELETE',
    url: '/v1/keys/:id',
    summary: 'Revoke a key of the team (a global key: of any team); it is refused from then on.',
    role: 'admin',
    params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } },
    async handler(request, _reply, ctx) {
      const { id } = request.params as { id: string };
      const caller = callerOf(request);
      const revoked = await ctx.db.transaction(async (tx) => {
        const key = await revokeKey(tx, id, caller.global ? null : caller.team);
        await audit(tx, key.team, caller, 'key.revoke', id, { name: key.name });
        await announceKeysChanged(ctx, tx);
        return key;
      });
      keysChanged(ctx);
      return revoked;
    },
  },
  {
    method: 'GET',
    url: '/v1/audit',
    summary: "The team's audit log of writes (who, what, when), newest first (a global key without X-QLP-Team: every team's).",
    role: 'admin',
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { since: timestamp, action: { type: 'string', maxLength: 64 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
    },
    async handler(request, _reply, ctx) {
      const { since, action, limit } = request.query as { since?: string; action?: string; limit: number };
      return { entries: await auditEntries(ctx.db, listedTeam(request), { since, action, limit }) };
    },
  },
];
