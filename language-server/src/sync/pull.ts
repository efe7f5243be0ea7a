// Pulls one capsule version from the team backend into a new folder: the manifest (checked
// against the capsule schema and its digest), only the blobs the local store lacks (each checked
// against its sha256), then the files are written into a hidden folder beside the target and
// renamed into place, and the version is recorded in the local store. A failure leaves no trace.
import { chmod, mkdir, mkdtemp, realpath, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { maxBlobsPerFetch, type TeamCapsuleDetail } from '../../../protocol/backendApi';
import { decodeBlobFrames } from '../../../protocol/blobFrames';
import { attachedBlobs, capsuleManifestSchema, filesDigestInput, type CapsuleManifest } from '../../../protocol/capsule';
import type { CapsuleRef, ImportResult } from '../../../protocol/capsuleApi';
import { sha256Hex } from '../capsule/blobStore';
import type { CapsuleStore } from '../capsule/capsuleStore';
import type { Control } from '../common/control';
import { throwIfAborted } from '../common/cancellation';
import { checkTarget, recordImported } from '../capsule/importArchive';
import type { BackendClient } from './client';
import { BackendUnavailableError } from './errors';
import { batchBytes } from './push';

export interface PullReport extends ImportResult {
  blobsFetched: number;
}

/** The manifest of `ref` on the backend (its latest version when `ref` names none), fully checked. */
export async function fetchManifest(client: BackendClient, ref: CapsuleRef, signal?: AbortSignal): Promise<CapsuleManifest> {
  const id = encodeURIComponent(ref.id);
  const version = ref.version ?? (await client.json<TeamCapsuleDetail>(`/v1/capsules/${id}`, { signal })).latest;
  const raw = await client.json<unknown>(`/v1/capsules/${id}/versions/${version}`, { signal });
  const parsed = capsuleManifestSchema.safeParse(raw);
  const bad = () => new BackendUnavailableError(`The backend sent a damaged manifest for ${ref.id}@${version}; nothing was written.`);
  if (!parsed.success || parsed.data.id !== ref.id || parsed.data.version !== version) throw bad();
  if (sha256Hex(filesDigestInput(parsed.data.files)) !== parsed.data.digest) throw bad();
  return parsed.data;
}

/** Brings every blob of `manifest` into the local store; returns how many were fetched. */
async function fetchMissingBlobs(store: CapsuleStore, client: BackendClient, manifest: CapsuleManifest, control: Control): Promise<number> {
  const sizes = new Map(manifest.files.map((f) => [f.sha256, f.size]));
  // A generated version's transcript and test logs travel too: it can be replayed and its receipts checked after a pull.
  for (const blob of attachedBlobs(manifest)) sizes.set(blob.sha256, blob.size);
  const needed: string[] = [];
  for (const sha256 of sizes.keys()) if ((await store.blobs.verify(sha256, sha256)) !== null) needed.push(sha256);
  const added: string[] = [];
  for (let i = 0; i < needed.length; ) {
    throwIfAborted(control.signal);
    const batch: string[] = [];
    for (
      let bytes = 0;
      i < needed.length && batch.length < maxBlobsPerFetch && (batch.length === 0 || bytes + (sizes.get(needed[i]) ?? 0) <= batchBytes);
      i++
    ) {
      batch.push(needed[i]);
      bytes += sizes.get(needed[i]) ?? 0;
    }
    const body = await client.bytes('/v1/blobs/fetch', { method: 'POST', json: { sha256s: batch }, signal: control.signal });
    const frames = decodeBlobFrames(body);
    for (const sha256 of batch) {
      const frame = frames.find((f) => f.sha256 === sha256);
      if (!frame || sha256Hex(frame.data) !== sha256)
        throw new BackendUnavailableError(`The backend sent a missing or damaged blob ${sha256} of ${manifest.id}@${manifest.version}; nothing was written.`);
      if ((await store.blobs.putBuffer(frame.data, sha256)).added) added.push(sha256);
    }
    control.onProgress?.({ message: `Fetched ${i} of ${needed.length} files`, done: i, total: needed.length });
  }
  await store.blobs.flush(added);
  return needed.length;
}

export async function pullVersion(store: CapsuleStore, client: BackendClient, ref: CapsuleRef, out: string, control: Control = {}): Promise<PullReport> {
  const target = resolve(out);
  await checkTarget(target);
  const manifest = await fetchManifest(client, ref, control.signal);
  const blobsFetched = await fetchMissingBlobs(store, client, manifest, control);
  const temp = await mkdtemp(join(dirname(target), `.qlp-pull-${basename(target).slice(0, 40)}-`));
  let moved = false;
  try {
    for (const file of manifest.files) {
      throwIfAborted(control.signal);
      const path = join(temp, ...file.path.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await store.blobs.read(file.sha256, `${file.path} in ${manifest.id}@${manifest.version}`), { flag: 'wx' });
      await chmod(path, file.mode);
    }
    await chmod(temp, 0o755);
    if (await stat(target).catch(() => undefined)) await rmdir(target);
    await rename(temp, target);
    moved = true;
    const folder = await realpath(target);
    const { id, version } = await recordImported(store, manifest, folder);
    return { id, version, files: manifest.files.length, out: folder, blobsFetched };
  } finally {
    if (!moved) await rm(temp, { recursive: true, force: true });
  }
}
