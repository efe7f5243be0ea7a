// Imports a capsule archive into a new folder. Every entry is checked before it is unpacked
// (paths, types, counts, sizes, ratios), unpacking goes into a hidden temporary folder next to the
// target, every file is checked against capsule.json's hashes, and only then is the folder
// renamed into place and the version recorded. A refusal leaves no trace.
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, readdir, realpath, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { CapsuleFile, CapsuleManifest } from '../../../protocol/capsule';
import type { ImportResult } from '../../../protocol/capsuleApi';
import { detectFormat, readArchive } from './archive/formats';
import { quotedName } from './archive/layout';
import type { CapsuleStore } from './capsuleStore';
import type { Control } from '../common/control';
import { throwIfAborted } from '../common/cancellation';
import { errnoCode } from '../common/errno';
import { CapsuleInputError, UnsafeArchiveError } from './errors';
import { entryRole } from './importChecks';
import { checkListed, checkUnpackedFiles, parseImportedManifest } from './importVerify';
import { defaultArchiveLimits, formatBytes, type ArchiveLimits } from './limits';

export interface ImportOptions extends Control {
  limits?: ArchiveLimits;
}

interface Unpacked {
  manifest?: CapsuleManifest;
  files: Map<string, CapsuleFile>;
}

/** Refuses a target that exists and is not an empty folder, or whose parent is missing. */
export async function checkTarget(out: string): Promise<void> {
  const parent = await stat(dirname(out)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new CapsuleInputError(`The folder ${dirname(out)} does not exist; create it first or choose another --out.`);
  const existing = await stat(out).catch(() => undefined);
  if (!existing) return;
  if (!existing.isDirectory() || (await readdir(out)).length > 0) {
    throw new CapsuleInputError(`${out} already exists and is not an empty folder; choose another folder to import into.`);
  }
}

/** Reads an entry's bytes through `sink`, refusing more than it declared or than `limit`. */
async function drain(
  content: AsyncIterable<Buffer>,
  declared: number,
  limit: number,
  what: string,
  sink?: (chunk: Buffer) => Promise<unknown>,
): Promise<number> {
  let bytes = 0;
  for await (const chunk of content) {
    bytes += chunk.length;
    if (bytes > limit) throw new UnsafeArchiveError(`${what} is larger than the ${formatBytes(limit)} a capsule allows.`);
    if (bytes > declared) throw new UnsafeArchiveError(`${what} holds more bytes than the archive declares for it; the archive is damaged.`);
    if (sink) await sink(chunk);
  }
  return bytes;
}

async function unpackFile(temp: string, path: string, content: AsyncIterable<Buffer>, declared: number, limit: number): Promise<CapsuleFile> {
  const target = join(temp, ...path.split('/'));
  let handle;
  try {
    await mkdir(dirname(target), { recursive: true });
    handle = await open(target, 'wx', 0o600);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') {
      throw new UnsafeArchiveError(`The archive holds files/${path} twice, or as both a file and a folder.`);
    }
    if (code === 'ENAMETOOLONG')
      throw new CapsuleInputError(`files/${path} makes too long a path under ${dirname(temp)}; import into a folder with a shorter path.`);
    throw err;
  }
  const hash = createHash('sha256');
  try {
    const size = await drain(content, declared, limit, `files/${path}`, (chunk) => {
      hash.update(chunk);
      return handle.write(chunk);
    });
    return { path, sha256: hash.digest('hex'), size, mode: 0o644 };
  } finally {
    await handle.close();
  }
}

async function unpack(archive: string, temp: string, limits: ArchiveLimits, control: Control): Promise<Unpacked> {
  const unpacked: Unpacked = { files: new Map() };
  /** The manifest's files by path, once capsule.json has been read (it comes first in QLP's archives). */
  let listed: Map<string, CapsuleFile> | undefined;
  const seen = new Set<string>();
  let entries = 0;
  let total = 0;
  for await (const entry of readArchive(await detectFormat(archive), archive, limits)) {
    throwIfAborted(control.signal);
    if (++entries > limits.maxEntries) throw new UnsafeArchiveError(`The archive holds more than ${limits.maxEntries} entries, more than a capsule may hold.`);
    const role = entryRole(entry, limits);
    const key = entry.name.replace(/\/+$/, '');
    if (seen.has(key)) throw new UnsafeArchiveError(`The archive holds ${key} twice.`); // the name passed entryRole: short, printable
    seen.add(key);
    if (role.kind === 'folder') continue;
    if (entry.size > limits.maxFileBytes)
      throw new UnsafeArchiveError(`The archive entry ${quotedName(entry.name)} is ${formatBytes(entry.size)}, more than a capsule file may hold.`);
    total += entry.size;
    if (total > limits.maxTotalBytes)
      throw new UnsafeArchiveError(`The archive unpacks to more than ${formatBytes(limits.maxTotalBytes)}, more than a capsule may hold.`);
    if (role.kind === 'manifest') {
      const chunks: Buffer[] = [];
      await drain(entry.content(), entry.size, limits.maxManifestBytes, 'capsule.json', async (chunk) => chunks.push(chunk));
      unpacked.manifest = parseImportedManifest(Buffer.concat(chunks), limits);
      listed = new Map(unpacked.manifest.files.map((f) => [f.path, f]));
    } else if (role.kind === 'receipt') {
      await drain(entry.content(), entry.size, limits.maxFileBytes, entry.name);
    } else {
      if (listed) checkListed(listed, role.path, entry.size);
      const file = await unpackFile(temp, role.path, entry.content(), entry.size, limits.maxFileBytes);
      unpacked.files.set(file.path, { ...file, mode: entry.mode });
      control.onProgress?.({ message: role.path, done: entries, total: 0 });
    }
  }
  return unpacked;
}

/** Records an imported (or pulled) version: under its own id and number when the store lacks that capsule, else as a new capsule. */
export async function recordImported(store: CapsuleStore, manifest: CapsuleManifest, folder: string): Promise<{ id: string; version: number }> {
  const { id, name, version, parentVersion: _parent, ...draft } = manifest;
  if (!(await store.has(id))) {
    const kept = await store.createRecord(name, folder, id);
    if (kept.id === id) return { id, version: (await store.addVersion(kept, draft, version)).version };
    return { id: kept.id, version: (await store.addVersion(kept, draft)).version };
  }
  const fresh = await store.createRecord(name, folder);
  return { id: fresh.id, version: (await store.addVersion(fresh, draft)).version };
}

export async function importArchive(store: CapsuleStore, archive: string, out: string, options: ImportOptions = {}): Promise<ImportResult> {
  const source = resolve(archive);
  const target = resolve(out);
  if (!(await stat(source).catch(() => undefined))?.isFile()) throw new CapsuleInputError(`The archive ${source} does not exist or is not a file.`);
  await checkTarget(target);
  const limits = options.limits ?? defaultArchiveLimits;
  const temp = await mkdtemp(join(dirname(target), `.qlp-import-${basename(target).slice(0, 40)}-`));
  let moved = false;
  try {
    const unpacked = await unpack(source, temp, limits, options);
    const manifest = unpacked.manifest;
    if (!manifest) throw new UnsafeArchiveError('The archive has no capsule.json, so it is not a capsule archive.');
    checkUnpackedFiles(manifest, unpacked.files);
    const added: string[] = [];
    for (const file of manifest.files) {
      throwIfAborted(options.signal);
      const path = join(temp, ...file.path.split('/'));
      if ((await store.blobs.putFile(path)).added) added.push(file.sha256);
      await chmod(path, file.mode);
    }
    await store.blobs.flush(added);
    await chmod(temp, 0o755); // mkdtemp made it private
    if (await stat(target).catch(() => undefined)) await rmdir(target);
    await rename(temp, target);
    moved = true;
    const folder = await realpath(target);
    const { id, version } = await recordImported(store, manifest, folder);
    return { id, version, files: manifest.files.length, out: folder };
  } catch (err) {
    throwIfAborted(options.signal);
    throw err;
  } finally {
    if (!moved) await rm(temp, { recursive: true, force: true });
  }
}
