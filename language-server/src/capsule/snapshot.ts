// Records a folder as a new capsule version: every file's bytes into the blob store, then the
// manifest. Files that look like they hold secrets are left out unless the caller says the user
// confirmed; an unchanged folder adds no version.
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { capsuleSchemaVersion, filesDigestInput, type CapsuleFile } from '../../../protocol/capsule';
import type { CreateCapsuleResult, LeftOutFile } from '../../../protocol/capsuleApi';
import { qlpVersion } from '../common/version';
import { sha256Hex } from './blobStore';
import type { CapsuleRecord, CapsuleStore, ManifestDraft } from './capsuleStore';
import type { Control } from '../common/control';
import { throwIfAborted } from '../common/cancellation';
import { CapsuleInputError } from './errors';
import { scanFolder } from './folderScan';
import { defaultCapsuleLimits, pathShapeProblem, type CapsuleLimits } from './limits';
import { cachedFinding } from './secretScan';

/** What a generation run adds to a version; a snapshot of a hand-written folder has none of it. */
export type VersionDetails = Pick<ManifestDraft, 'kind' | 'requirements' | 'stack' | 'models' | 'usage' | 'validation' | 'receipts' | 'tools'>;

export interface SnapshotOptions extends Control {
  name?: string;
  includeSecrets?: boolean;
  details?: VersionDetails;
  /** A generation's transcript (JSON), kept as a blob the manifest points to. */
  transcript?: { data: Uint8Array; turns: number };
  limits?: CapsuleLimits;
}

export interface SnapshotResult extends CreateCapsuleResult {
  record: CapsuleRecord;
}

export const snapshotDetails = (): VersionDetails => ({
  kind: 'snapshot',
  requirements: null,
  stack: null,
  models: [],
  usage: null,
  validation: null,
  receipts: [],
  tools: { qlp: qlpVersion },
});

export async function realFolder(folder: string): Promise<string> {
  const real = await realpath(folder).catch(() => undefined);
  if (!real || !(await stat(real)).isDirectory()) throw new CapsuleInputError(`${folder} does not exist or is not a folder.`);
  return real;
}

export async function snapshotFolder(store: CapsuleStore, folder: string, options: SnapshotOptions = {}): Promise<SnapshotResult> {
  const { signal, onProgress } = options;
  const root = await realFolder(folder);
  const limits = options.limits ?? defaultCapsuleLimits;
  const scan = await scanFolder(root, limits, signal);
  for (const file of scan.files) {
    // What an import would refuse is never recorded: every version can travel as an archive.
    const problem = pathShapeProblem(file.path, limits);
    if (problem) throw new CapsuleInputError(`${file.path.length > 120 ? `${file.path.slice(0, 120)}…` : file.path} ${problem}; add it to .gitignore.`);
  }
  const leftOut: LeftOutFile[] = [...scan.leftOut];
  const files: CapsuleFile[] = [];
  const added: string[] = [];
  let done = 0;
  await store.secrets.load();
  for (const file of scan.files) {
    throwIfAborted(signal);
    onProgress?.({ message: file.path, done, total: scan.bytes });
    const data = await readFile(file.abs);
    const sha256 = sha256Hex(data);
    const finding = options.includeSecrets ? null : await cachedFinding(store, file.path, sha256, async () => data);
    if (finding) {
      leftOut.push({ path: file.path, reason: 'secret', rules: finding.rules, lines: finding.lines });
    } else {
      const blob = await store.blobs.putBuffer(data, sha256);
      if (blob.added) added.push(sha256);
      files.push({ path: file.path, sha256, size: blob.size, mode: file.mode });
    }
    done += file.size;
  }
  await store.secrets.save();
  let transcript: { sha256: string; size: number; turns: number } | undefined;
  if (options.transcript) {
    const blob = await store.blobs.putBuffer(options.transcript.data);
    if (blob.added) added.push(blob.sha256);
    transcript = { sha256: blob.sha256, size: blob.size, turns: options.transcript.turns };
  }
  await store.blobs.flush(added);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const digest = sha256Hex(filesDigestInput(files));

  let record = await store.findByFolder(root);
  if (!record) record = await store.createRecord(options.name?.trim() || basename(root) || 'capsule', root);
  else if (options.name?.trim() && options.name.trim() !== record.name) record = await store.updateRecord(record.id, (r) => (r.name = options.name!.trim()));

  const latest = (await store.versions(record.id)).at(-1);
  if (latest !== undefined && !options.details && (await store.manifest(record.id, latest)).digest === digest) {
    return { record, id: record.id, version: latest, files: files.length, created: false, leftOut };
  }
  const manifest = await store.addVersion(record, {
    schemaVersion: capsuleSchemaVersion,
    createdAt: new Date().toISOString(),
    digest,
    files,
    ...(options.details ?? snapshotDetails()),
    ...(transcript ? { transcript } : {}),
  });
  return { record, id: record.id, version: manifest.version, files: files.length, created: true, leftOut };
}
