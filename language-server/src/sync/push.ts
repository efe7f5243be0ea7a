// Pushes one capsule version to the team backend: asks which blobs it lacks, uploads only those
// (in batches, read back from the local store with their hashes checked), then the manifest. The
// backend makes the version visible only when the manifest lands, so a push cut short is simply
// pushed again. A version the backend already holds under the same number sends nothing: the same
// files are `unchanged`, other files (another copy, another choice about secrets) are refused
// before a blob travels. Files on the leave-out list (likely secrets the user did not include)
// travel neither as blobs nor in the file list: the manifest names them in `omitted`, with the
// digest of what it still lists, as an export does.
import type { MissingBlobsResponse, PushResult, StoreBlobsResponse, TeamCapsuleDetail } from '../../../protocol/backendApi';
import { encodeBlobFrames, type BlobFrame } from '../../../protocol/blobFrames';
import { attachedBlobs, type CapsuleManifest } from '../../../protocol/capsule';
import type { CapsuleStore } from '../capsule/capsuleStore';
import type { Control } from '../common/control';
import { throwIfAborted } from '../common/cancellation';
import { exportedManifest } from '../capsule/export';
import type { BackendClient } from './client';
import { BackendRefusedError } from './errors';

export interface PushReport extends PushResult {
  blobsSent: number;
  bytesSent: number;
  files: number;
}

/** Most bytes in one upload request. */
export const batchBytes = 8 * 1024 * 1024;

/** The digest of the version the backend holds under this number, or undefined when it holds none. */
async function remoteDigest(client: BackendClient, manifest: CapsuleManifest, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const detail = await client.json<TeamCapsuleDetail>(`/v1/capsules/${encodeURIComponent(manifest.id)}`, { signal });
    return detail.versions.find((v) => v.version === manifest.version)?.digest;
  } catch (err) {
    if (err instanceof BackendRefusedError && err.status === 404) return undefined;
    throw err;
  }
}

export async function pushVersion(
  store: CapsuleStore,
  stored: CapsuleManifest,
  client: BackendClient,
  control: Control = {},
  leaveOut: readonly string[] = [],
): Promise<PushReport> {
  const { signal, onProgress } = control;
  const manifest = exportedManifest(stored, leaveOut);
  const label = `${manifest.id}@${manifest.version}`;
  const paths = new Map(manifest.files.map((f) => [f.sha256, f.path]));
  for (const blob of attachedBlobs(manifest)) paths.set(blob.sha256, blob.label);
  onProgress?.({ message: `Checking which files ${label} needs to send`, done: 0, total: 0 });
  const existing = await remoteDigest(client, manifest, signal);
  if (existing === manifest.digest)
    return { id: manifest.id, version: manifest.version, created: false, blobsSent: 0, bytesSent: 0, files: manifest.files.length };
  if (existing !== undefined) {
    // The backend's own sentence for this refusal, which it would give at the manifest.
    const reason = `capsule '${manifest.id}' already has a different version ${manifest.version} on this server; snapshot again to make a new version, then push that`;
    throw new BackendRefusedError(
      `The team backend already has a different version ${manifest.version} of ${manifest.id} (other files, or other files left out as likely secrets), so nothing was sent; snapshot again to make a new version, then push that.`,
      409,
      reason,
    );
  }
  const answer = await client.json<MissingBlobsResponse>('/v1/blobs/missing', { method: 'POST', json: { sha256s: [...paths.keys()] }, signal });
  // Only blobs this push asked about: a left-out file's blob is never sent, whatever the answer names.
  const missing = answer.missing.filter((sha256) => paths.has(sha256));
  let blobsSent = 0;
  let bytesSent = 0;
  let batch: BlobFrame[] = [];
  let batchSize = 0;
  const send = async () => {
    if (batch.length === 0) return;
    await client.json<StoreBlobsResponse>('/v1/blobs', { method: 'POST', binary: encodeBlobFrames(batch), signal });
    blobsSent += batch.length;
    bytesSent += batchSize;
    onProgress?.({ message: `Sent ${blobsSent} of ${missing.length} files`, done: blobsSent, total: missing.length });
    batch = [];
    batchSize = 0;
  };
  for (const sha256 of missing) {
    throwIfAborted(signal);
    const data = await store.blobs.read(sha256, `${paths.get(sha256)} in ${label}`);
    if (batch.length > 0 && batchSize + data.byteLength > batchBytes) await send();
    batch.push({ sha256, data });
    batchSize += data.byteLength;
  }
  await send();
  throwIfAborted(signal);
  const path = `/v1/capsules/${encodeURIComponent(manifest.id)}/versions/${manifest.version}`;
  const result = await client.json<PushResult>(path, { method: 'PUT', json: manifest, signal });
  return { ...result, blobsSent, bytesSent, files: manifest.files.length };
}
