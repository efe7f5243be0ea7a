// Capsules and their versions, each in its team: the same id in two teams names two capsules. A
// version becomes visible in one transaction together with its capsule row, its usage entries and
// its audit entry, and only once every blob it names is stored for its team, so a push cut short
// leaves nothing half-visible.
import type { CapsuleManifest } from '../../../protocol/capsule';
import type { PushResult, TeamCapsule, TeamCapsuleDetail } from '../../../protocol/backendApi';
import type { Queryable } from '../db/database';
import { Conflict, NotFound } from '../errors';
import { blobSizes } from './blobs';
import { iso } from './time';

interface CapsuleRow {
  id: string;
  name: string;
  latest_version: number;
  requirements: string | null;
  versions: number;
  files: number;
  bytes: number;
  pushed_by: string;
  pushed_at: Date;
  [key: string]: unknown;
}

const listSql = `
  SELECT c.id, c.name, c.latest_version, c.requirements, v.files, v.bytes::float8 AS bytes, v.pushed_by, v.pushed_at,
         (SELECT count(*)::int FROM capsule_versions n WHERE n.team = c.team AND n.capsule_id = c.id) AS versions
  FROM capsules c JOIN capsule_versions v ON v.team = c.team AND v.capsule_id = c.id AND v.version = c.latest_version`;

const toTeamCapsule = (r: CapsuleRow): TeamCapsule => ({
  id: r.id,
  name: r.name,
  version: r.latest_version,
  versions: r.versions,
  files: r.files,
  bytes: Number(r.bytes),
  requirements: r.requirements,
  pushedBy: r.pushed_by,
  pushedAt: iso(r.pushed_at),
});

/** The team's capsules, most recently pushed first; `query` keeps those whose name, requirements or paths hold every word. */
export async function listCapsules(db: Queryable, team: string, options: { query?: string; limit: number; offset: number }): Promise<TeamCapsule[]> {
  const words = (options.query ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10);
  const params: unknown[] = [team, ...words.map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)];
  const where = `WHERE ${['c.team = $1', ...words.map((_, i) => `c.search LIKE $${i + 2}`)].join(' AND ')}`;
  params.push(options.limit, options.offset);
  const rows = await db.query<CapsuleRow>(`${listSql} ${where} ORDER BY c.updated_at DESC, c.id LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return rows.map(toTeamCapsule);
}

export async function capsuleDetail(db: Queryable, team: string, id: string): Promise<TeamCapsuleDetail> {
  const [capsule] = await db.query<{ id: string; name: string; latest_version: number }>(
    'SELECT id, name, latest_version FROM capsules WHERE team = $1 AND id = $2',
    [team, id],
  );
  if (!capsule) throw new NotFound(`there is no capsule '${id}' on this server`);
  const versions = await db.query<{ version: number; digest: string; files: number; bytes: number; pushed_by: string; pushed_at: Date }>(
    'SELECT version, digest, files, bytes::float8 AS bytes, pushed_by, pushed_at FROM capsule_versions WHERE team = $1 AND capsule_id = $2 ORDER BY version DESC',
    [team, id],
  );
  return {
    id: capsule.id,
    name: capsule.name,
    latest: capsule.latest_version,
    versions: versions.map((v) => ({
      version: v.version,
      digest: v.digest,
      files: v.files,
      bytes: Number(v.bytes),
      pushedBy: v.pushed_by,
      pushedAt: iso(v.pushed_at),
    })),
  };
}

/** The manifest as it was pushed (its exact text). */
export async function versionManifest(db: Queryable, team: string, id: string, version: number): Promise<string> {
  const [row] = await db.query<{ manifest: string }>('SELECT manifest FROM capsule_versions WHERE team = $1 AND capsule_id = $2 AND version = $3', [
    team,
    id,
    version,
  ]);
  if (!row) throw new NotFound(`capsule '${id}' has no version ${version} on this server`);
  return row.manifest;
}

function searchText(manifest: CapsuleManifest): string {
  return [manifest.name, manifest.requirements ?? '', ...manifest.files.map((f) => f.path)].join('\n').toLowerCase();
}

/** Records a version pushed for `team` inside the caller's transaction. */
export async function recordVersion(tx: Queryable, team: string, manifest: CapsuleManifest, text: string, pushedBy: string): Promise<PushResult> {
  const { id, version } = manifest;
  const sizes = new Map(manifest.files.map((f) => [f.sha256, f.size]));
  const found = await blobSizes(tx, team, [...sizes.keys()]);
  const missing = [...sizes.keys()].filter((s) => !found.has(s));
  if (missing.length)
    throw new Conflict(`${missing.length} of the manifest's blobs are not on the server yet (first: ${missing[0]}); upload them before the manifest`);
  const wrong = [...sizes].find(([sha, size]) => found.get(sha) !== size);
  if (wrong) throw new Conflict(`the manifest gives blob ${wrong[0]} a size of ${wrong[1]} bytes, which is not its stored size`);

  await tx.query(
    'INSERT INTO capsules (team, id, name, latest_version, requirements, updated_at, search) VALUES ($1, $2, $3, $4, $5, now(), $6) ON CONFLICT (team, id) DO NOTHING',
    [team, id, manifest.name, version, manifest.requirements, searchText(manifest)],
  );
  const bytes = manifest.files.reduce((sum, f) => sum + f.size, 0);
  const inserted = await tx.query(
    'INSERT INTO capsule_versions (team, capsule_id, version, digest, manifest, files, bytes, pushed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (team, capsule_id, version) DO NOTHING RETURNING version',
    [team, id, version, manifest.digest, text, manifest.files.length, bytes, pushedBy],
  );
  if (inserted.length === 0) {
    const [existing] = await tx.query<{ digest: string }>('SELECT digest FROM capsule_versions WHERE team = $1 AND capsule_id = $2 AND version = $3', [
      team,
      id,
      version,
    ]);
    if (existing?.digest === manifest.digest) return { id, version, created: false };
    throw new Conflict(`capsule '${id}' already has a different version ${version} on this server; snapshot again to make a new version, then push that`);
  }
  await tx.query(
    `UPDATE capsules SET updated_at = now(),
       name = CASE WHEN $2 >= latest_version THEN $3 ELSE name END,
       requirements = CASE WHEN $2 >= latest_version THEN $4 ELSE requirements END,
       search = CASE WHEN $2 >= latest_version THEN $5 ELSE search END,
       latest_version = GREATEST(latest_version, $2)
     WHERE team = $6 AND id = $1`,
    [id, version, manifest.name, manifest.requirements, searchText(manifest), team],
  );
  for (const m of manifest.models) {
    await tx.query(
      'INSERT INTO usage_entries (team, capsule_id, version, provider, model, tier, calls, input_tokens, output_tokens, cost_usd, pushed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
      [team, id, version, m.provider, m.model, m.tier, m.calls, m.inputTokens, m.outputTokens, m.costUsd, pushedBy],
    );
  }
  return { id, version, created: true };
}
