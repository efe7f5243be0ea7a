// The capsules of one workspace: a record per capsule (name, folder, tags) and one immutable
// manifest per version, over a shared content-addressed blob store.
//
//   <workspace dir>/capsules/blobs/<aa>/<sha256>          file contents, deduplicated
//   <workspace dir>/capsules/by-id/<id>/capsule.json      the record (replaced atomically)
//   <workspace dir>/capsules/by-id/<id>/versions/<n>.json  the manifest of version n (written once)
//   <workspace dir>/capsules/secret-scan.json              secret scan results by content (a cache)
//
// A version exists once its manifest exists; the manifest is written after all its blobs, so a
// crash leaves at worst unreferenced blobs, which garbage collection removes. A record or folder
// that cannot be read is never taken for an absent one: collection stops rather than free blobs
// it might hold, and a snapshot does not start a second capsule for a folder it might record.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { attachedBlobs, capsuleIdPattern, capsuleManifestSchema, type CapsuleManifest } from '../../../protocol/capsule';
import { writeFileAtomic, writeFileExclusive } from '../common/atomicFile';
import { BlobStore } from './blobStore';
import { errnoCode } from '../common/errno';
import { CapsuleInputError, CorruptStoreError } from './errors';
import { SecretCache } from './secretCache';

export interface CapsuleRecord {
  id: string;
  name: string;
  /** The folder the capsule snapshots and restores into (absolute, real path). */
  folder: string;
  createdAt: string;
  /** Tags by version number. */
  tags: Record<string, string[]>;
}

/** Whether a parsed record file looks like a record of capsule `id`. */
function isRecord(value: unknown, id: string): value is CapsuleRecord {
  const r = value as Partial<CapsuleRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.id === id &&
    typeof r.name === 'string' &&
    typeof r.folder === 'string' &&
    typeof r.tags === 'object' &&
    r.tags !== null
  );
}

/** Where warnings go when no one listens: stderr (the command line's, or the language server's log). */
export const noticeToStderr = (message: string): void => void process.stderr.write(`qlp: ${message}\n`);

/** A record that exists but cannot be read; `problem` says so without the advice. */
class DamagedRecordError extends CorruptStoreError {
  constructor(readonly problem: string) {
    super(`${problem}; repair or remove that file.`);
  }
}

export type ManifestDraft = Omit<CapsuleManifest, 'id' | 'name' | 'version' | 'parentVersion'>;

/** How long an unreferenced blob is kept, so that a snapshot in progress never loses one. */
export const defaultGraceMs = 10 * 60_000;

export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'capsule';
}

export class CapsuleStore {
  readonly blobs: BlobStore;
  /** What the secret scan found in stored contents. */
  readonly secrets: SecretCache;
  private readonly byId: string;
  private readonly manifests = new Map<string, CapsuleManifest>();
  /** Warnings already given (each is given once per store). */
  private readonly reported = new Set<string>();
  /** Where warnings go (a damaged record skipped, a collection stopped). */
  onNotice: (message: string) => void = noticeToStderr;

  constructor(readonly dir: string) {
    this.blobs = new BlobStore(join(dir, 'blobs'));
    this.secrets = new SecretCache(join(dir, 'secret-scan.json'));
    this.byId = join(dir, 'by-id');
  }

  async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.byId);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw new CorruptStoreError(`The capsule folder ${this.byId} cannot be read (${errnoCode(err) ?? (err as Error).message}); repair its permissions.`);
    }
    return names.filter((name) => capsuleIdPattern.test(name)).sort();
  }

  async has(id: string): Promise<boolean> {
    return (
      capsuleIdPattern.test(id) &&
      (await readFile(this.recordPath(id)).then(
        () => true,
        () => false,
      ))
    );
  }

  async record(id: string): Promise<CapsuleRecord> {
    if (!capsuleIdPattern.test(id)) throw new CapsuleInputError(`'${id}' is not a capsule id (lowercase letters, digits and dashes).`);
    const path = this.recordPath(id);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw new CapsuleInputError(`There is no capsule '${id}' in this workspace.`);
      throw new DamagedRecordError(`The record of capsule '${id}' (${path}) cannot be read (${errnoCode(err) ?? (err as Error).message})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed, id)) throw new DamagedRecordError(`The record of capsule '${id}' (${path}) is damaged`);
    return parsed;
  }

  /** The records that can be read; each damaged one is reported once. */
  async records(): Promise<CapsuleRecord[]> {
    const { records, damaged } = await this.readRecords();
    for (const problem of damaged) this.report(`${problem}; it was skipped. Repair or remove that file.`);
    return records;
  }

  /**
   * The record of `folder`. While some record cannot be read, it may be that folder's: then a
   * snapshot must not start a second capsule, so this refuses, naming the file.
   */
  async findByFolder(folder: string): Promise<CapsuleRecord | undefined> {
    const { records, damaged } = await this.readRecords();
    const found = records.find((r) => r.folder === folder);
    if (found || damaged.length === 0) {
      if (found) await this.records();
      return found;
    }
    throw new CorruptStoreError(`${damaged[0]} and may be this folder's, so no new capsule was started: repair or remove that file, then try again.`);
  }

  /** The readable records, and what is wrong with the others. */
  private async readRecords(): Promise<{ records: CapsuleRecord[]; damaged: string[] }> {
    const records: CapsuleRecord[] = [];
    const damaged: string[] = [];
    for (const id of await this.ids()) {
      try {
        records.push(await this.record(id));
      } catch (err) {
        // A folder whose record was never written (a crash while creating it) holds nothing.
        if (err instanceof DamagedRecordError) damaged.push(err.problem);
        else if (!(err instanceof CapsuleInputError)) throw err;
      }
    }
    return { records, damaged };
  }

  private report(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.onNotice(message);
  }

  /** Version numbers, oldest first. */
  async versions(id: string): Promise<number[]> {
    const dir = join(this.capsuleDir(id), 'versions');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw new CorruptStoreError(
        `The versions of capsule '${id}' (${dir}) cannot be read (${errnoCode(err) ?? (err as Error).message}); repair its permissions.`,
      );
    }
    return names.flatMap((n) => (/^[1-9]\d*\.json$/.test(n) ? [Number(n.slice(0, -5))] : [])).sort((a, b) => a - b);
  }

  async manifest(id: string, version: number): Promise<CapsuleManifest> {
    const path = this.manifestPath(id, version);
    const cached = this.manifests.get(path);
    if (cached) return cached;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw new CapsuleInputError(`Capsule '${id}' has no version ${version}.`);
      throw err;
    }
    let parsed;
    try {
      parsed = capsuleManifestSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success || parsed.data.id !== id || parsed.data.version !== version) {
      throw new CorruptStoreError(`The manifest of ${id}@${version} is damaged; delete that version.`);
    }
    this.manifests.set(path, parsed.data);
    return parsed.data;
  }

  /** Makes a new capsule record for `folder` with a fresh id (or `id`, when it is free). */
  async createRecord(name: string, folder: string, id?: string): Promise<CapsuleRecord> {
    await mkdir(this.byId, { recursive: true });
    for (let attempt = 0; ; attempt++) {
      const candidate = id && attempt === 0 ? id : `${slugOf(name)}-${randomBytes(3).toString('hex')}`;
      try {
        await mkdir(this.capsuleDir(candidate));
      } catch (err) {
        if (errnoCode(err) === 'EEXIST' && attempt < 20) continue;
        throw err;
      }
      const record: CapsuleRecord = { id: candidate, name, folder, createdAt: new Date().toISOString(), tags: {} };
      await mkdir(join(this.capsuleDir(candidate), 'versions'));
      await writeFileAtomic(this.recordPath(candidate), `${JSON.stringify(record, null, 2)}\n`);
      return record;
    }
  }

  async updateRecord(id: string, change: (record: CapsuleRecord) => void): Promise<CapsuleRecord> {
    const record = await this.record(id);
    change(record);
    await writeFileAtomic(this.recordPath(id), `${JSON.stringify(record, null, 2)}\n`);
    return record;
  }

  /**
   * Adds a version after the latest one. The manifest is created exclusively, so two writers
   * never take the same number. `version` pins the number (imports keep theirs).
   */
  async addVersion(record: CapsuleRecord, draft: ManifestDraft, version?: number): Promise<CapsuleManifest> {
    for (;;) {
      const existing = await this.versions(record.id);
      const latest = existing.at(-1) ?? null;
      const number = version ?? (latest ?? 0) + 1;
      const parentVersion = version ? (existing.filter((v) => v < version).at(-1) ?? null) : latest;
      const manifest = capsuleManifestSchema.parse({ ...draft, id: record.id, name: record.name, version: number, parentVersion });
      try {
        await writeFileExclusive(this.manifestPath(record.id, number), `${JSON.stringify(manifest, null, 2)}\n`);
        return manifest;
      } catch (err) {
        if (errnoCode(err) !== 'EEXIST' || version) throw err;
      }
    }
  }

  async deleteVersion(id: string, version: number): Promise<void> {
    await rm(this.manifestPath(id, version), { force: true });
    this.manifests.delete(this.manifestPath(id, version));
    await this.updateRecord(id, (r) => delete r.tags[String(version)]);
    if ((await this.versions(id)).length === 0) await this.deleteCapsule(id);
  }

  async deleteCapsule(id: string): Promise<void> {
    for (const key of [...this.manifests.keys()]) if (key.startsWith(this.capsuleDir(id))) this.manifests.delete(key);
    await rm(this.capsuleDir(id), { recursive: true, force: true });
  }

  /**
   * Removes blobs no version references (older than `graceMs`) and crash leftovers. When a record,
   * a capsule's versions or a manifest cannot be read, it deletes nothing: it reports which (once)
   * and says so in `stopped`, since the blobs that capsule holds are unknown.
   */
  async collectGarbage(graceMs = defaultGraceMs): Promise<{ removed: number; freedBytes: number; stopped?: string }> {
    const referenced = new Set<string>();
    try {
      for (const id of await this.ids()) {
        // A damaged or unreadable record stops the collection; a missing one (its versions, if
        // any, are still read below) does not.
        await this.record(id).catch((err) => {
          if (!(err instanceof CapsuleInputError)) throw err;
        });
        for (const version of await this.versions(id)) {
          const manifest = await this.manifest(id, version);
          for (const file of manifest.files) referenced.add(file.sha256);
          for (const blob of attachedBlobs(manifest)) referenced.add(blob.sha256);
        }
      }
    } catch (err) {
      const stopped = `Unused stored files were not cleaned up: ${(err as Error).message}`;
      this.report(stopped);
      return { removed: 0, freedBytes: 0, stopped };
    }
    return this.blobs.collect(referenced, graceMs);
  }

  private capsuleDir(id: string): string {
    return join(this.byId, id);
  }

  private recordPath(id: string): string {
    return join(this.capsuleDir(id), 'capsule.json');
  }

  private manifestPath(id: string, version: number): string {
    return join(this.capsuleDir(id), 'versions', `${version}.json`);
  }
}
