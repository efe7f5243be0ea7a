// What a capsule archive holds, whatever its format:
//   capsule.json             the manifest
//   receipts/<name>.json     the validation report and sandbox receipts, when the version has them
//   files/<path>             the files, with their permission bits
import type { Readable } from 'node:stream';

export const manifestName = 'capsule.json';
export const receiptsPrefix = 'receipts/';
export const filesPrefix = 'files/';

/** An entry to write: bytes in memory, or a stream opened when the writer reaches it. */
export interface SourceEntry {
  name: string;
  size: number;
  /** Permission bits. */
  mode: number;
  data?: Buffer;
  open?: () => Readable;
}

export interface WriteOptions {
  /** Every entry's modification time (the version's creation time: same capsule, same bytes). */
  mtime: Date;
  signal?: AbortSignal;
  /** Called with the bytes of streamed entries (the files) written so far. */
  onBytes?(bytes: number): void;
}

export type EntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'device' | 'fifo' | 'other';

/** An entry read from an archive; `open` must be drained before the next entry is asked for. */
export interface ReadEntry {
  name: string;
  type: EntryType;
  size: number;
  mode: number;
  open(): Promise<Readable>;
}

/** Extensions whose content is already compressed (stored, not deflated, in a zip). */
const compressed = /\.(zip|gz|tgz|bz2|xz|zst|7z|rar|jar|war|png|jpe?g|gif|webp|avif|mp[34]|m4a|mov|woff2?|pdf)$/i;

export const isCompressedName = (name: string): boolean => compressed.test(name);
