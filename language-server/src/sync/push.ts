// Pushes one capsule version to the team backend: asks which blobs it lacks, uploads only those
// (in batches, read back from the local store with their hashes checked), then the manifest. The
// backend makes the version visible only when the manifest lands, so a push cut short is simply
// pushed again.
import type { MissingBlobsResponse, PushResult, StoreBlobsResponse } from '../../../protocol/backendApi';
import { encodeBlobFrames, type BlobFrame } from '../../../protocol/blobFrames';
import { attachedBlobs, type CapsuleManifest } from '../../../protocol/capsule';
import type { CapsuleStore } from '../capsule/capsuleStore';
import type { Control } from '../capsule/control';
import { throwIfAborted } from '../capsule/errors';
import type { BackendClient } from './client';

export interface PushReport extends PushResult {
  blobsSent: number;
  bytesSent: number;
  files: number;
}

/** Most bytes in one upload request. */
export const batchBytes = 8 * 1024 * 1024;

export async function pushVersion(store: CapsuleStore, manifest: CapsuleManifest, client: BackendClient, control: Control = {}): Promise<PushReport> {
  const { signal, onProgress } = control;
  const label = `${manifest.id}@${manifest.version}`;
  const paths = new Map(manifest.files.map((f) => [f.sha256, f.path]));
  for (const blob of attachedBlobs(manifest)) paths.set(blob.sha256, blob.label);
  onProgress?.({ message: `Checking which files ${label} needs to send`, done: 0, total: 0 });
  const { missing } = await client.json<MissingBlobsResponse>('/v1/blobs/missing', { method: 'POST', json: { sha256s: [...paths.keys()] }, signal });
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
    const data = await store.blobs.read(sha256, `${paths.get(sha256) ?? sha256} in ${label}`);
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
