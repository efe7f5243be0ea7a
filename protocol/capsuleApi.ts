// What the capsule requests carry between the extension and the language server (plain types,
// no runtime code: the extension imports this file for types only).
import type { CapsuleManifest } from './capsule';

/** A capsule, or one of its versions (the latest when `version` is absent). */
export interface CapsuleRef {
  id: string;
  version?: number;
}

export type ArchiveFormat = 'zip' | 'tar' | 'tgz';

export interface CapsuleVersionSummary {
  version: number;
  parentVersion: number | null;
  createdAt: string;
  kind: CapsuleManifest['kind'];
  files: number;
  bytes: number;
  /** What generating it cost, or null for snapshots of hand-written folders. */
  costUsd: number | null;
  /** null: never validated (snapshots of hand-written folders). */
  validation: 'passed' | 'failed' | null;
  validationScore: number | null;
  tags: string[];
}

export interface CapsuleSummary {
  id: string;
  name: string;
  /** The folder the capsule snapshots and restores into (absolute). */
  folder: string;
  latest: number;
  /** Newest first. */
  versions: CapsuleVersionSummary[];
}

/** A file a snapshot or export left out, and why. */
export interface LeftOutFile {
  path: string;
  reason: 'secret' | 'symlink' | 'special';
  /** For secrets: the rules that matched, e.g. `@secretlint/secretlint-rule-openai` (never the value). */
  rules?: string[];
  /** For secrets: the lines they are on (1-based). */
  lines?: number[];
}

export interface SecretFinding {
  path: string;
  rules: string[];
  lines: number[];
}

export interface CreateCapsuleParams {
  folder: string;
  name?: string;
  /** Keep files that look like they hold secrets (only after the user confirmed). */
  includeSecrets?: boolean;
}

export interface CreateCapsuleResult {
  id: string;
  version: number;
  files: number;
  /** false when the folder was unchanged since the latest version (no new version). */
  created: boolean;
  leftOut: LeftOutFile[];
}

export type FindSecretsParams = { folder: string } | { ref: CapsuleRef };

export interface FileState {
  sha256: string;
  size: number;
  mode: number;
}

export interface CapsuleChange {
  path: string;
  status: 'added' | 'removed' | 'modified' | 'mode';
  before?: FileState;
  after?: FileState;
}

export interface DiffParams {
  from: CapsuleRef;
  /** Another version, or the capsule's folder as it is now. */
  to: CapsuleRef | 'folder';
}

export interface DiffResult {
  from: { id: string; version: number };
  to: { id: string; version: number } | 'folder';
  folder: string;
  changes: CapsuleChange[];
}

export interface ReadFileParams {
  id: string;
  version: number;
  path: string;
}

export type ReadFileResult = { text: string } | { binary: true; size: number; sha256: string };

export interface RestoreParams {
  ref: CapsuleRef;
}

export interface RestoreResult {
  id: string;
  version: number;
  folder: string;
  /** The version holding the folder as it was before the restore (null when the folder was gone). */
  backup: { version: number; created: boolean } | null;
  written: number;
  deleted: number;
}

export interface ExportParams {
  ref: CapsuleRef;
  format: ArchiveFormat;
  out: string;
  includeSecrets?: boolean;
  /** Replace `out` if it exists (the editor's save dialog already asked). */
  overwrite?: boolean;
}

export interface ExportResult {
  id: string;
  version: number;
  out: string;
  format: ArchiveFormat;
  files: number;
  bytes: number;
  leftOut: LeftOutFile[];
}

export interface ImportParams {
  archive: string;
  /** The folder to create; it must not exist or be empty. */
  out: string;
}

export interface ImportResult {
  id: string;
  version: number;
  files: number;
  out: string;
}

export interface RenameParams {
  id: string;
  name: string;
}

export interface TagParams {
  id: string;
  version: number;
  tags: string[];
}

export interface DeleteParams {
  id: string;
  /** One version; the whole capsule when absent. */
  version?: number;
}

export interface DeleteResult {
  id: string;
  deletedVersions: number[];
  freedBytes: number;
}

export interface ShowResult {
  capsule: CapsuleSummary;
  manifest: CapsuleManifest;
}

/** Progress of a long capsule operation. */
export interface CapsuleProgress {
  message: string;
  done: number;
  total: number;
}
