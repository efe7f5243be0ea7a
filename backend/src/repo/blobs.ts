// Capsule file contents, content-addressed: the bytes are stored once however many capsules and
// teams hold them, but each team sees only the blobs it uploaded itself (team_blobs). Asking
// whether a blob exists, fetching it or naming it in a manifest answers for the caller's team,
// so no team learns what another holds.
import type { BlobFrame } from '../../../protocol/blobFrames';
import type { StoreBlobsResponse } from '../../../protocol/backendApi';
import type { BlobData } from '../blobData';
import type { Queryable } from '../db/database';
import { BadRequest } from '../errors';

const sha256Pattern = /^[0-9a-f]{64}$/;

/** Which of `sha256s` the team has not uploaded (whether or not another team has). */
export async function missingBlobs(db: Queryable, team: string, sha256s: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(sha256s)];
  if (wanted.length === 0) return [];
  const present = await db.query<{ sha256: string }>('SELECT sha256 FROM team_blobs WHERE team = $1 AND sha256 = ANY($2::text[])', [team, wanted]);
  const have = new Set(present.map((r) => r.sha256));
  return wanted.filter((s) => !have.has(s));
}

/**
 * Stores blobs whose bytes were checked against their names as they arrived (blobUpload.ts) and
 * gives them to the team. `stored` counts the blobs new to the team: a blob another team already
 * uploaded counts as stored, so the answer says nothing about other teams.
 */
export async function storeBlobs(tx: Queryable, data: BlobData, team: string, frames: readonly BlobFrame[]): Promise<StoreBlobsResponse> {
  // One order for every writer, so concurrent uploads of overlapping batches lock rows alike.
  const unique = [...new Map(frames.map((f) => [f.sha256, f])).values()].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
  if (unique.length === 0) return { stored: 0, alreadyPresent: frames.length };
  await data.put(tx, unique);
  const added = await tx.query('INSERT INTO team_blobs (team, sha256) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING sha256', [
    team,
    unique.map((f) => f.sha256),
  ]);
  return { stored: added.length, alreadyPresent: frames.length - added.length };
}

/** The stored sizes of the team's blobs among `sha256s` (others are left out). */
export async function blobSizes(db: Queryable, team: string, sha256s: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.query<{ sha256: string; size: number }>(
    'SELECT b.sha256, b.size::float8 AS size FROM team_blobs t JOIN blobs b ON b.sha256 = t.sha256 WHERE t.team = $1 AND t.sha256 = ANY($2::text[])',
    [team, [...new Set(sha256s)]],
  );
  return new Map(rows.map((r) => [r.sha256, Number(r.size)]));
}

/** The bytes of `sha256s`, which the caller has found among its team's blobs (blobSizes). */
export async function fetchBlobs(db: Queryable, data: BlobData, sha256s: readonly string[]): Promise<BlobFrame[]> {
  const bad = sha256s.find((s) => !sha256Pattern.test(s));
  if (bad !== undefined) throw new BadRequest(`'${bad}' is not a sha256 hex digest`);
  return data.get(db, sha256s);
}
