// The capsule engine as one service over a workspace's store, in plain inputs and outputs. The
// language server and the command line both call it; neither adds logic of its own.
import { resolve } from 'node:path';
import { capsuleTagPattern, validationStatus, type CapsuleManifest } from '../../../protocol/capsule';
import type * as api from '../../../protocol/capsuleApi';
import { CapsuleStore } from './capsuleStore';
import type { Control } from '../common/control';
import { diffFiles, folderFiles } from './diff';
import { CapsuleInputError } from './errors';
import { archiveFormats } from './archive/formats';
import { exportVersion } from './export';
import { importArchive } from './importArchive';
import { defaultArchiveLimits, type ArchiveLimits } from './limits';
import { readVersionFile } from './readFile';
import { restoreVersion } from './restore';
import { findSecretsInFolder, findSecretsInVersion } from './secretScan';
import { realFolder, snapshotFolder } from './snapshot';
import { openWorkspaceDir } from './workspaceStore';

export function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200 || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new CapsuleInputError('A capsule name must be 1 to 200 characters without control characters.');
  }
  return trimmed;
}

export class CapsuleService {
  constructor(
    readonly store: CapsuleStore,
    readonly workspaceRoot: string,
    private readonly limits: ArchiveLimits = defaultArchiveLimits,
  ) {}

  /**
   * The service over the store of the workspace rooted at `workspaceRoot`, under `dataDir`;
   * `create: false` does not create a store that does not exist yet (for commands that only read).
   */
  static async open(dataDir: string, workspaceRoot: string, options: { limits?: ArchiveLimits; create?: boolean } = {}): Promise<CapsuleService> {
    const { limits, create = true } = options;
    const { root, dir } = await openWorkspaceDir(dataDir, workspaceRoot, create);
    return new CapsuleService(new CapsuleStore(resolve(dir, 'capsules')), root, limits);
  }

  /** The manifest a ref names (the latest version when it names none). */
  async manifest(ref: api.CapsuleRef): Promise<CapsuleManifest> {
    if (typeof ref?.id !== 'string') throw new CapsuleInputError('Name a capsule by its id.');
    if (ref.version !== undefined && !(Number.isInteger(ref.version) && ref.version > 0))
      throw new CapsuleInputError(`'${ref.version}' is not a version number.`);
    await this.store.record(ref.id);
    const version = ref.version ?? (await this.store.versions(ref.id)).at(-1);
    if (version === undefined) throw new CapsuleInputError(`Capsule '${ref.id}' has no versions.`);
    return this.store.manifest(ref.id, version);
  }

  async summary(id: string): Promise<api.CapsuleSummary> {
    const record = await this.store.record(id);
    const versions: api.CapsuleVersionSummary[] = [];
    for (const version of (await this.store.versions(id)).reverse()) {
      const m = await this.store.manifest(id, version);
      versions.push({
        version,
        parentVersion: m.parentVersion,
        createdAt: m.createdAt,
        kind: m.kind,
        files: m.files.length,
        bytes: m.files.reduce((sum, f) => sum + f.size, 0),
        costUsd: m.usage?.costUsd ?? null,
        validation: validationStatus(m.validation),
        validationScore: m.validation?.score ?? null,
        tags: record.tags[String(version)] ?? [],
      });
    }
    return { id, name: record.name, folder: record.folder, latest: versions[0]?.version ?? 0, versions };
  }

  /** Every capsule, most recently changed first; a damaged record is left out and reported once. */
  async list(): Promise<api.CapsuleSummary[]> {
    const summaries = await Promise.all((await this.store.records()).map((record) => this.summary(record.id)));
    const newest = (s: api.CapsuleSummary) => s.versions[0]?.createdAt ?? '';
    return summaries.filter((s) => s.versions.length > 0).sort((a, b) => newest(b).localeCompare(newest(a)) || a.id.localeCompare(b.id));
  }

  async show(ref: api.CapsuleRef): Promise<api.ShowResult> {
    const manifest = await this.manifest(ref);
    return { capsule: await this.summary(ref.id), manifest };
  }

  async findSecrets(params: api.FindSecretsParams, control: Control = {}): Promise<api.SecretFinding[]> {
    if ('folder' in params) return findSecretsInFolder(this.store, await realFolder(params.folder), this.limits, control.signal);
    return findSecretsInVersion(this.store, await this.manifest(params.ref), control.signal);
  }

  async create(params: api.CreateCapsuleParams, control: Control = {}): Promise<api.CreateCapsuleResult> {
    const name = params.name === undefined ? undefined : checkName(params.name);
    const { record: _record, ...result } = await snapshotFolder(this.store, params.folder, {
      name,
      includeSecrets: params.includeSecrets === true,
      limits: this.limits,
      ...control,
    });
    return result;
  }

  async diff(params: api.DiffParams, control: Control = {}): Promise<api.DiffResult> {
    const from = await this.manifest(params.from);
    const folder = (await this.store.record(from.id)).folder;
    if (params.to === 'folder') {
      const current = await folderFiles(await realFolder(folder), this.limits, control.signal);
      return { from: { id: from.id, version: from.version }, to: 'folder', folder, changes: diffFiles(from.files, current) };
    }
    const to = await this.manifest(params.to);
    return { from: { id: from.id, version: from.version }, to: { id: to.id, version: to.version }, folder, changes: diffFiles(from.files, to.files) };
  }

  async readFile(params: api.ReadFileParams): Promise<api.ReadFileResult> {
    return readVersionFile(this.store, await this.manifest(params), params.path);
  }

  async restore(params: api.RestoreParams, control: Control = {}): Promise<api.RestoreResult> {
    const { id, version } = await this.manifest(params.ref);
    return restoreVersion(this.store, id, version, { ...control, limits: this.limits });
  }

  async export(params: api.ExportParams, control: Control = {}): Promise<api.ExportResult> {
    if (!archiveFormats.includes(params.format)) throw new CapsuleInputError(`'${params.format}' is not an archive format; use zip, tar or tgz.`);
    if (typeof params.out !== 'string' || !params.out) throw new CapsuleInputError('Say where to write the archive.');
    const { format, out, includeSecrets, overwrite } = params;
    return exportVersion(this.store, await this.manifest(params.ref), { format, out, includeSecrets, overwrite, ...control });
  }

  async import(params: api.ImportParams, control: Control = {}): Promise<api.ImportResult> {
    return importArchive(this.store, params.archive, params.out, { ...control, limits: this.limits });
  }

  async rename(params: api.RenameParams): Promise<api.CapsuleSummary> {
    const name = checkName(params.name);
    await this.store.updateRecord(params.id, (r) => (r.name = name));
    return this.summary(params.id);
  }

  async tag(params: api.TagParams): Promise<api.CapsuleSummary> {
    await this.manifest(params);
    const tags = [...new Set(params.tags.map((t) => t.trim()).filter(Boolean))];
    const bad = tags.find((t) => !capsuleTagPattern.test(t));
    if (bad !== undefined) throw new CapsuleInputError(`'${bad}' is not a tag: use up to 40 letters, digits, dots, dashes and underscores.`);
    await this.store.updateRecord(params.id, (r) => {
      if (tags.length) r.tags[String(params.version)] = tags;
      else delete r.tags[String(params.version)];
    });
    return this.summary(params.id);
  }

  /** Removes what a crash may have left (temporary files, unreferenced blobs past the grace time); never fails. */
  async tidy(): Promise<void> {
    await this.store.collectGarbage().catch(() => undefined);
  }

  async delete(params: api.DeleteParams, graceMs?: number): Promise<api.DeleteResult> {
    const versions = params.version === undefined ? await this.store.versions(params.id) : [(await this.manifest(params)).version];
    if (params.version === undefined) await this.store.deleteCapsule((await this.store.record(params.id)).id);
    else await this.store.deleteVersion(params.id, params.version);
    const { freedBytes } = await this.store.collectGarbage(graceMs);
    return { id: params.id, deletedVersions: versions, freedBytes };
  }
}
