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

/**
 * An entry read from an archive. `content` yields its bytes (read errors become one-sentence
 * refusals) and must be drained, or left unread, before the next entry is asked for.
 */
export interface ReadEntry {
  name: string;
  type: EntryType;
  /** The unpacked size the archive declares (checked as the bytes flow). */
  size: number;
  mode: number;
  content(): AsyncIterable<Buffer>;
}

/** An entry's name as a refusal quotes it: JSON-escaped (no line breaks) and cut short. */
export const quotedName = (name: string): string => JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}…` : name);

/** A reader's error message fit for one sentence: on one line, without a final period, not too long. */
export function oneLine(message: string): string {
  const flat = message
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .replace(/\.$/, '');
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/** Extensions whose content is already compressed (stored, not deflated, in a zip). */
const compressed = /\.(zip|gz|tgz|bz2|xz|zst|7z|rar|jar|war|png|jpe?g|gif|webp|avif|mp[34]|m4a|mov|woff2?|pdf)$/i;

export const isCompressedName = (name: string): boolean => compressed.test(name);
