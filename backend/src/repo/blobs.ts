// Capsule file contents, content-addressed: one row per sha256, however many capsules hold it.
import type { BlobFrame } from '../../../protocol/blobFrames';
import type { StoreBlobsResponse } from '../../../protocol/backendApi';
import type { BlobData } from '../blobData';
import type { Queryable } from '../db/database';
import { BadRequest } from '../errors';

const sha256Pattern = /^[0-9a-f]{64}$/;

export async function missingBlobs(db: Queryable, sha256s: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(sha256s)];
  if (wanted.length === 0) return [];
  const present = await db.query<{ sha256: string }>('SELECT sha256 FROM blobs WHERE sha256 = ANY($1::text[])', [wanted]);
  const have = new Set(present.map((r) => r.sha256));
  return wanted.filter((s) => !have.has(s));
}

/** Stores blobs whose bytes were checked against their names as they arrived (blobUpload.ts). */
export async function storeBlobs(tx: Queryable, data: BlobData, frames: readonly BlobFrame[]): Promise<StoreBlobsResponse> {
  const unique = [...new Map(frames.map((f) => [f.sha256, f])).values()];
  const stored = await data.put(tx, unique);
  return { stored, alreadyPresent: frames.length - stored };
}

/** The stored sizes of the blobs among `sha256s` (absent ones are left out). */
export async function blobSizes(db: Queryable, sha256s: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.query<{ sha256: string; size: number }>('SELECT sha256, size::float8 AS size FROM blobs WHERE sha256 = ANY($1::text[])', [[...new Set(sha256s)]]);
  return new Map(rows.map((r) => [r.sha256, Number(r.size)]));
}

export async function fetchBlobs(db: Queryable, data: BlobData, sha256s: readonly string[]): Promise<BlobFrame[]> {
  const bad = sha256s.find((s) => !sha256Pattern.test(s));
  if (bad !== undefined) throw new BadRequest(`'${bad}' is not a sha256 hex digest`);
  return data.get(db, sha256s);
}
