// Checks an unpacked archive against its capsule.json: a valid manifest of a schema this QLP
// knows, and exactly the files it lists, each with the listed size and sha256.
import { capsuleManifestSchema, capsuleSchemaVersion, filesDigestInput, type CapsuleFile, type CapsuleManifest } from '../../../protocol/capsule';
import { sha256Hex } from './blobStore';
import { UnsafeArchiveError } from './errors';

export function verifyImportedManifest(data: Buffer | undefined, files: ReadonlyMap<string, CapsuleFile>): CapsuleManifest {
  if (!data) throw new UnsafeArchiveError('The archive has no capsule.json, so it is not a capsule archive.');
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch {
    throw new UnsafeArchiveError('The archive\'s capsule.json is not valid JSON.');
  }
  const schemaVersion = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof schemaVersion === 'number' && schemaVersion > capsuleSchemaVersion) {
    throw new UnsafeArchiveError(`The archive was made by a newer QLP (capsule schema ${schemaVersion}); update QLP to import it.`);
  }
  const parsed = capsuleManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnsafeArchiveError(`The archive's capsule.json is not a valid capsule manifest (${issue.path.join('.') || 'manifest'}: ${issue.message}).`);
  }
  const manifest = parsed.data;
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
  if (sha256Hex(filesDigestInput(manifest.files)) !== manifest.digest) {
    throw new UnsafeArchiveError('The digest in capsule.json does not match its file list; the archive was altered.');
  }
  return manifest;
}
