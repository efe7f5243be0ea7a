// Capsules, in the caller's team: list and search, details, a version's manifest, and pushing a
// version. Another team's capsule is not found (404), never a conflict that would tell it exists.
import { capsuleManifestSchema, filesDigestInput } from '../../../protocol/capsule';
import { sha256Hex } from '../../../language-server/src/capsule/blobStore';
import type { TeamCapsuleList } from '../../../protocol/backendApi';
import { announceCapsulesChanged, capsulesChanged } from '../changes';
import { callerOf } from '../context';
import { BadRequest } from '../errors';
import { bodyLimits, manifestLimits } from '../limits';
import { checkManifestShape } from '../manifestShape';
import { audit } from '../repo/audit';
import { capsuleDetail, listCapsules, recordVersion, versionManifest } from '../repo/capsules';
import { actingTeam } from '../teams';
import { capsuleIdSchema, versionSchema, type RouteDef } from './route';

const idParams = { type: 'object', required: ['id'], properties: { id: capsuleIdSchema } };
const versionParams = { type: 'object', required: ['id', 'version'], properties: { id: capsuleIdSchema, version: versionSchema } };
const teamCapsule = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'integer' },
    versions: { type: 'integer' },
    files: { type: 'integer' },
    bytes: { type: 'integer' },
    requirements: { type: ['string', 'null'] },
    pushedBy: { type: 'string' },
    pushedAt: { type: 'string', format: 'date-time' },
  },
};

export const capsuleRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/v1/capsules',
    summary: "List the team's capsules, most recently pushed first; `q` keeps those whose name, requirements or file paths contain every word.",
    role: 'reader',
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        q: { type: 'string', maxLength: 200 },
        limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
        offset: { type: 'integer', minimum: 0, maximum: 1000000, default: 0 },
      },
    },
    response: { type: 'object', properties: { capsules: { type: 'array', items: teamCapsule } } },
    async handler(request, reply, ctx) {
      const { q, limit, offset } = request.query as { q?: string; limit: number; offset: number };
      const team = actingTeam(request);
      const key = `${q ?? ''}\0${limit}\0${offset}`;
      let body = ctx.listCache.get(team, key);
      ctx.metrics.count(body === undefined ? 'qlp_list_cache_misses_total' : 'qlp_list_cache_hits_total');
      if (body === undefined) {
        const mark = ctx.listCache.mark();
        const list: TeamCapsuleList = { capsules: await listCapsules(ctx.db, team, { query: q, limit, offset }) };
        body = Buffer.from(JSON.stringify(list));
        ctx.listCache.set(team, key, body, mark);
      }
      return reply.type('application/json').send(body);
    },
  },
  {
    method: 'GET',
    url: '/v1/capsules/:id',
    summary: "A capsule's versions, newest first.",
    role: 'reader',
    params: idParams,
    async handler(request, _reply, ctx) {
      return capsuleDetail(ctx.db, actingTeam(request), (request.params as { id: string }).id);
    },
  },
  {
    method: 'GET',
    url: '/v1/capsules/:id/versions/:version',
    summary: "A version's manifest (capsule.json), exactly as it was pushed.",
    role: 'reader',
    params: versionParams,
    async handler(request, reply, ctx) {
      const { id, version } = request.params as { id: string; version: number };
      return reply.type('application/json').send(await versionManifest(ctx.db, actingTeam(request), id, version));
    },
  },
  {
    method: 'PUT',
    url: '/v1/capsules/:id/versions/:version',
    summary:
      'Push a version: its manifest, once every blob it names is stored. Pushing the same version again is a no-op (200); a different one with the same number is a 409.',
    role: 'writer',
    params: versionParams,
    body: {
      type: 'object',
      description: `A capsule manifest (capsule.json, schemaVersion 1): at most ${manifestLimits.maxFiles} files, each path at most ${manifestLimits.maxPathLength} characters and ${manifestLimits.maxPathDepth} levels deep.`,
    },
    bodyLimit: bodyLimits.manifest,
    response: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'integer' }, created: { type: 'boolean' } } },
    async handler(request, reply, ctx) {
      const { id, version } = request.params as { id: string; version: number };
      checkManifestShape(request.body);
      const parsed = capsuleManifestSchema.safeParse(request.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new BadRequest(`the manifest is not valid: ${issue.path.join('.') || 'manifest'}: ${issue.message}`);
      }
      const manifest = parsed.data;
      if (manifest.id !== id || manifest.version !== version)
        throw new BadRequest(`the manifest is ${manifest.id}@${manifest.version}, but the URL names ${id}@${version}`);
      if (sha256Hex(filesDigestInput(manifest.files)) !== manifest.digest) throw new BadRequest("the manifest's digest does not match its file list");
      const caller = callerOf(request);
      const team = actingTeam(request);
      const result = await ctx.db.transaction(async (tx) => {
        const pushed = await recordVersion(tx, team, manifest, JSON.stringify(manifest), caller.name);
        if (pushed.created) {
          await audit(tx, team, caller, 'capsule.push', `${id}@${version}`, { files: manifest.files.length, digest: manifest.digest });
          await announceCapsulesChanged(ctx, tx, team);
        }
        return pushed;
      });
      if (result.created) capsulesChanged(ctx, team);
      ctx.metrics.count(result.created ? 'qlp_capsule_versions_pushed_total' : 'qlp_capsule_versions_repushed_total');
      return reply.code(result.created ? 201 : 200).send(result);
    },
  },
];
