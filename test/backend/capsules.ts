// Capsules made straight in a local store (with requirements and a model ledger when asked),
// and pushed or pulled with the real sync engine.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { capsuleSchemaVersion, filesDigestInput, type CapsuleManifest } from '../../protocol/capsule';
import { sha256Hex } from '../../language-server/src/capsule/blobStore';
import { CapsuleStore } from '../../language-server/src/capsule/capsuleStore';
import { BackendClient } from '../../language-server/src/sync/client';
import { BackendUnavailableError } from '../../language-server/src/sync/errors';
import { pushVersion, type PushReport } from '../../language-server/src/sync/push';
import { adminKey, type BackendProcess } from '../support/backendProcess';
import { scratch } from '../support/capsuleFixtures';

export interface LocalCapsule {
  store: CapsuleStore;
  manifest: CapsuleManifest;
}

export async function makeCapsule(
  files: Record<string, string | Buffer>,
  options: { name: string; requirements?: string; models?: CapsuleManifest['models']; store?: CapsuleStore; transcript?: Buffer },
): Promise<LocalCapsule> {
  const store = options.store ?? new CapsuleStore(join(scratch('qlp-sync-store-'), 'capsules'));
  const list: CapsuleManifest['files'] = [];
  for (const [path, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const { sha256 } = await store.blobs.putBuffer(data);
    list.push({ path, sha256, size: data.byteLength, mode: path.endsWith('.sh') ? 0o755 : 0o644 });
  }
  const transcript = options.transcript ? { ...(await store.blobs.putBuffer(options.transcript)), turns: 1 } : undefined;
  const record = await store.createRecord(options.name, scratch('qlp-sync-folder-'));
  const manifest = await store.addVersion(record, {
    schemaVersion: capsuleSchemaVersion,
    createdAt: new Date().toISOString(),
    kind: options.models ? 'generated' : 'snapshot',
    requirements: options.requirements ?? null,
    stack: null,
    digest: sha256Hex(filesDigestInput(list)),
    files: list,
    models: options.models ?? [],
    usage: null,
    validation: null,
    receipts: [],
    tools: {},
    ...(transcript ? { transcript: { sha256: transcript.sha256, size: transcript.size, turns: transcript.turns } } : {}),
  });
  return { store, manifest };
}

export function pushWith(capsule: LocalCapsule, url: string, key: string, onProgress?: (done: number) => void): Promise<PushReport> {
  return pushVersion(capsule.store, capsule.manifest, new BackendClient({ url, key }), { onProgress: (p) => onProgress?.(p.done) });
}

/** Pushes `capsule` through `backend` and kills the backend (SIGKILL) once the first blob batch is stored: the push fails as out of reach. */
export async function pushKilledMidway(capsule: LocalCapsule, backend: BackendProcess): Promise<void> {
  let killed = false;
  await assert.rejects(
    pushWith(capsule, backend.url, adminKey, (done) => {
      if (done > 0 && !killed) {
        killed = true;
        backend.child.kill('SIGKILL');
      }
    }),
    (err) => err instanceof BackendUnavailableError,
  );
  assert.ok(killed, 'the push was cut after its first batch');
  await backend.kill();
}
