// Size caps. A snapshot refuses folders past these; an import refuses archives past them before
// writing anything (decompression bombs included).

export interface CapsuleLimits {
  /** Files in one version. */
  maxFiles: number;
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Bytes of one version (all its files). */
  maxTotalBytes: number;
}

export interface ArchiveLimits extends CapsuleLimits {
  /** Entries in an archive (files, folders, capsule.json, receipts). */
  maxEntries: number;
  /** Bytes of capsule.json. */
  maxManifestBytes: number;
  /** Unpacked bytes per packed byte past which an entry (zip) or the stream (tar.gz) is refused. */
  maxRatio: number;
  /** Unpacked bytes below which the ratio is not judged (tiny files compress absurdly well). */
  ratioFloorBytes: number;
}

const MiB = 1024 * 1024;

export const defaultCapsuleLimits: CapsuleLimits = {
  maxFiles: 20_000,
  maxFileBytes: 100 * MiB,
  maxTotalBytes: 1024 * MiB,
};

export const defaultArchiveLimits: ArchiveLimits = {
  ...defaultCapsuleLimits,
  maxEntries: 40_000,
  maxManifestBytes: 16 * MiB,
  maxRatio: 200,
  ratioFloorBytes: 1 * MiB,
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MiB) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * MiB) return `${(bytes / MiB).toFixed(1)} MB`;
  return `${(bytes / 1024 / MiB).toFixed(2)} GB`;
}
