// Size caps. A snapshot refuses folders past these; an import refuses archives past them before
// writing anything (decompression bombs included).

export interface CapsuleLimits {
  /** Files in one version. */
  maxFiles: number;
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Bytes of one version (all its files). */
  maxTotalBytes: number;
  /** UTF-8 bytes of one file's path inside the capsule. */
  maxPathBytes: number;
  /** Folders above a file (`a/b/c.txt` is 3 levels deep). */
  maxPathDepth: number;
  /** UTF-8 bytes of one file or folder name (what file systems allow). */
  maxNameBytes: number;
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
  // Far past real projects (which rarely pass 300 bytes or 15 levels), and small enough that an
  // imported folder stays under the 4,096 bytes Linux allows a path and that checking 20,000
  // such paths takes well under a second.
  maxPathBytes: 1024,
  maxPathDepth: 32,
  maxNameBytes: 255,
};

export const defaultArchiveLimits: ArchiveLimits = {
  ...defaultCapsuleLimits,
  maxEntries: 40_000,
  maxManifestBytes: 16 * MiB,
  maxRatio: 200,
  ratioFloorBytes: 1 * MiB,
};

/** What is wrong with a path's length, depth or names under these limits, or undefined. */
export function pathShapeProblem(path: string, limits: CapsuleLimits): string | undefined {
  // The UTF-16 length bounds the UTF-8 one from below: a long path is refused before it is encoded.
  if (path.length > limits.maxPathBytes || Buffer.byteLength(path) > limits.maxPathBytes)
    return `is longer than the ${limits.maxPathBytes} bytes a capsule path may have`;
  let depth = 0;
  let start = 0;
  for (let at = path.indexOf('/'); ; at = path.indexOf('/', at + 1)) {
    const end = at === -1 ? path.length : at;
    if (Buffer.byteLength(path.slice(start, end)) > limits.maxNameBytes) return `has a name longer than the ${limits.maxNameBytes} bytes a file system allows`;
    if (at === -1) break;
    if (++depth > limits.maxPathDepth) return `is more than ${limits.maxPathDepth} folders deep, deeper than a capsule path may be`;
    start = at + 1;
  }
  return undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MiB) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * MiB) return `${(bytes / MiB).toFixed(1)} MB`;
  return `${(bytes / 1024 / MiB).toFixed(2)} GB`;
}
