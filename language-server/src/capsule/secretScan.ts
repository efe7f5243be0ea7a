// Which files of a folder or a capsule version look like they hold secrets (through the
// secretlint adapter). Findings name the file, the rules and the lines, never the value.
import { readFile } from 'node:fs/promises';
import type { SecretFinding } from '../../../protocol/capsuleApi';
import type { CapsuleManifest } from '../../../protocol/capsule';
import { findSecrets, looksBinary } from '../secrets/secretlint';
import type { CapsuleStore } from './capsuleStore';
import { throwIfAborted } from './errors';
import { scanFolder } from './folderScan';
import type { CapsuleLimits } from './limits';

/** The finding for one file's bytes, or null when it looks clean (binary files are not scanned). */
export async function secretFindingFor(path: string, data: Uint8Array): Promise<SecretFinding | null> {
  if (looksBinary(data)) return null;
  const hits = await findSecrets(path, Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  if (hits.length === 0) return null;
  return {
    path,
    rules: [...new Set(hits.map((h) => h.ruleId))].sort(),
    lines: [...new Set(hits.map((h) => h.line))].sort((a, b) => a - b),
  };
}

export async function findSecretsInFolder(folder: string, limits: CapsuleLimits, signal?: AbortSignal): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  for (const file of (await scanFolder(folder, limits, signal)).files) {
    throwIfAborted(signal);
    const finding = await secretFindingFor(file.path, await readFile(file.abs));
    if (finding) findings.push(finding);
  }
  return findings;
}

export async function findSecretsInVersion(store: CapsuleStore, manifest: CapsuleManifest, signal?: AbortSignal): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  for (const file of manifest.files) {
    throwIfAborted(signal);
    const data = await store.blobs.read(file.sha256, `${file.path} in ${manifest.id}@${manifest.version}`);
    const finding = await secretFindingFor(file.path, data);
    if (finding) findings.push(finding);
  }
  return findings;
}
