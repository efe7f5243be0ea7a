// Checks an archive's capsule.json: first its shape (how many paths, how long, how deep), cheaply
// and before any per-path work, then the schema and the digest; and at the end, that the archive
// holds exactly the files it lists, each with the listed size and sha256.
import { capsuleManifestSchema, capsuleSchemaVersion, filesDigestInput, type CapsuleFile, type CapsuleManifest } from '../../../protocol/capsule';
import { sha256Hex } from './blobStore';
import { UnsafeArchiveError } from './errors';
import { pathShapeProblem, type CapsuleLimits } from './limits';

const listedPaths = (raw: unknown, field: string): unknown[] | undefined => {
  const value = (raw as Record<string, unknown>)[field];
  return Array.isArray(value) ? value : undefined;
};

/** Refuses a manifest with more paths, or longer or deeper ones, than a capsule may hold. */
function checkShape(raw: unknown, limits: CapsuleLimits): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UnsafeArchiveError("The archive's capsule.json is not a JSON object, so it is not a capsule manifest.");
  for (const field of ['files', 'omitted']) {
    const list = listedPaths(raw, field);
    if (!list) continue;
    if (list.length > limits.maxFiles)
      throw new UnsafeArchiveError(
        `The archive's capsule.json lists ${list.length} ${field === 'files' ? 'files' : 'omitted files'}, more than the ${limits.maxFiles} a capsule may hold.`,
      );
    for (const item of list) {
      const path = (item as { path?: unknown } | null)?.path;
      if (typeof path !== 'string') continue; // the schema says what is wrong
      const problem = pathShapeProblem(path, limits);
      if (problem) throw new UnsafeArchiveError(`The archive's capsule.json lists a path that ${problem} (${JSON.stringify(path.slice(0, 60))}…).`);
    }
  }
}

/** The archive's manifest, checked: shape, JSON schema (of a version this QLP knows) and digest. */
export function parseImportedManifest(data: Buffer, limits: CapsuleLimits): CapsuleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch {
    throw new UnsafeArchiveError("The archive's capsule.json is not valid JSON.");
  }
  checkShape(raw, limits);
  const schemaVersion = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (typeof schemaVersion === 'number' && schemaVersion > capsuleSchemaVersion) {
    throw new UnsafeArchiveError(`The archive was made by a newer QLP (capsule schema ${schemaVersion}); update QLP to import it.`);
  }
  const parsed = capsuleManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join('.').slice(0, 80) || 'manifest';
    const message = issue.message.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 160);
    throw new UnsafeArchiveError(`The archive's capsule.json is not a valid capsule manifest (${where}: ${message}).`);
  }
  const manifest = parsed.data;
  if (sha256Hex(filesDigestInput(manifest.files)) !== manifest.digest) {
    throw new UnsafeArchiveError('The digest in capsule.json does not match its file list; the archive was altered.');
  }
  return manifest;
}

/** Refuses a file capsule.json does not list, or whose declared size differs from the listed one, before it is unpacked. */
export function checkListed(listed: ReadonlyMap<string, CapsuleFile>, path: string, declaredSize: number): void {
  const file = listed.get(path);
  if (!file) throw new UnsafeArchiveError(`The archive holds files/${path}, which capsule.json does not list.`);
  if (file.size !== declaredSize) throw new UnsafeArchiveError(`files/${path} does not match its size in capsule.json; the archive was altered or damaged.`);
}

/** Refuses unless the unpacked files are exactly those the manifest lists, byte for byte. */
export function checkUnpackedFiles(manifest: CapsuleManifest, files: ReadonlyMap<string, CapsuleFile>): void {
  for (const listed of manifest.files) {
    const found = files.get(listed.path);
    if (!found) throw new UnsafeArchiveError(`capsule.json lists ${listed.path}, which the archive does not hold.`);
    if (found.size !== listed.size || found.sha256 !== listed.sha256) {
      throw new UnsafeArchiveError(`files/${listed.path} does not match its sha256 in capsule.json; the archive was altered or damaged.`);
    }
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const path of files.keys()) {
    if (!listed.has(path)) throw new UnsafeArchiveError(`The archive holds files/${path}, which capsule.json does not list.`);
  }
}
