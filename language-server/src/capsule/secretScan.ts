// Which files of a folder or a capsule version look like they hold secrets (secretlint's preset
// and QLP's rules). Findings name the file, the rules and the lines, never the value.
import { readFile } from 'node:fs/promises';
import type { SecretFinding } from '../../../protocol/capsuleApi';
import type { CapsuleManifest } from '../../../protocol/capsule';
import { findLikelySecrets } from '../secrets/likelySecrets';
import { looksBinary } from '../workspace/binary';
import { sha256Hex } from './blobStore';
import type { CapsuleStore } from './capsuleStore';
import { throwIfAborted } from '../common/cancellation';
import { scanFolder } from './folderScan';
import type { CapsuleLimits } from './limits';

/** The finding for one file's bytes, or null when it looks clean (binary files are not scanned). */
export async function secretFindingFor(path: string, data: Uint8Array): Promise<SecretFinding | null> {
  if (looksBinary(data)) return null;
  const hits = await findLikelySecrets(path, Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  if (hits.length === 0) return null;
  return {
    path,
    rules: [...new Set(hits.map((h) => h.ruleId))].sort(),
    lines: [...new Set(hits.map((h) => h.line))].sort((a, b) => a - b),
  };
}

/** The finding for a content, from the store's cache when it was scanned before. */
export async function cachedFinding(store: CapsuleStore, path: string, sha256: string, read: () => Promise<Uint8Array>): Promise<SecretFinding | null> {
  const cached = store.secrets.get(sha256, path);
  if (cached !== undefined) return cached;
  const finding = await secretFindingFor(path, await read());
  store.secrets.set(sha256, path, finding);
  return finding;
}

export async function findSecretsInFolder(store: CapsuleStore, folder: string, limits: CapsuleLimits, signal?: AbortSignal): Promise<SecretFinding[]> {
  await store.secrets.load();
  const findings: SecretFinding[] = [];
  for (const file of (await scanFolder(folder, limits, signal)).files) {
    throwIfAborted(signal);
    const data = await readFile(file.abs);
    const finding = await cachedFinding(store, file.path, sha256Hex(data), async () => data);
    if (finding) findings.push(finding);
  }
  await store.secrets.save();
  return findings;
}

export async function findSecretsInVersion(store: CapsuleStore, manifest: CapsuleManifest, signal?: AbortSignal): Promise<SecretFinding[]> {
  await store.secrets.load();
  const findings: SecretFinding[] = [];
  for (const file of manifest.files) {
    throwIfAborted(signal);
    const label = `${file.path} in ${manifest.id}@${manifest.version}`;
    const finding = await cachedFinding(store, file.path, file.sha256, () => store.blobs.read(file.sha256, label));
    if (finding) findings.push(finding);
  }
  await store.secrets.save();
  return findings;
}
