// Reads an append-only JSON-lines file incrementally, as several processes append to it: only
// the bytes appended since the last read, only up to the last newline (a line still being written
// is read once complete), and from the start again when the file shrank or was replaced.
import { open, stat } from 'node:fs/promises';

export interface TailRead {
  /** The file was replaced, truncated or removed: what was read before no longer holds. */
  reset: boolean;
  /** Complete lines appended since the last read, in order (blank ones left out). */
  lines: string[];
}

/** Bytes before the offset compared on each read: a file rewritten in place shows up there. */
const fingerprintBytes = 64;

export class JsonLinesTail {
  private offset = 0;
  private identity = '';
  private fingerprint = Buffer.alloc(0);

  constructor(readonly file: string) {}

  async read(): Promise<TailRead> {
    let info;
    try {
      info = await stat(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const reset = this.offset > 0;
      this.startOver('');
      return { reset, lines: [] };
    }
    const identity = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
    if (identity === this.identity) return { reset: false, lines: [] };
    const handle = await open(this.file, 'r');
    try {
      const now = await handle.stat();
      let reset = false;
      if (now.size < this.offset || !(await this.sameBeforeOffset(handle))) {
        reset = this.offset > 0;
        this.startOver('');
      }
      const data = Buffer.alloc(now.size - this.offset);
      const { bytesRead } = await handle.read(data, 0, data.length, this.offset);
      const fresh = data.subarray(0, bytesRead);
      const consumed = completeLength(fresh);
      const lines = fresh
        .subarray(0, consumed)
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim());
      this.offset += consumed;
      this.fingerprint = Buffer.concat([this.fingerprint, fresh.subarray(0, consumed)]).subarray(-fingerprintBytes);
      // Remember the stat only when everything was consumed: a torn last line must be read again.
      this.identity = consumed === bytesRead ? `${now.dev}:${now.ino}:${now.size}:${now.mtimeMs}` : '';
      return { reset, lines };
    } finally {
      await handle.close();
    }
  }

  private startOver(identity: string): void {
    this.offset = 0;
    this.identity = identity;
    this.fingerprint = Buffer.alloc(0);
  }

  /** True when the bytes just before the offset are still the ones read last time. */
  private async sameBeforeOffset(handle: Awaited<ReturnType<typeof open>>): Promise<boolean> {
    if (!this.fingerprint.length) return true;
    const seen = Buffer.alloc(this.fingerprint.length);
    const { bytesRead } = await handle.read(seen, 0, seen.length, this.offset - seen.length);
    return bytesRead === seen.length && seen.equals(this.fingerprint);
  }
}

/**
 * How many bytes of `data` form complete lines: up to the last newline, or all of it when the
 * last line parses whole (older versions of the ledger ended their file without a newline; a line
 * torn mid-write never parses, as a JSON object is invalid until its closing brace).
 */
function completeLength(data: Buffer): number {
  const end = data.lastIndexOf(0x0a) + 1;
  if (end === data.length) return end;
  try {
    JSON.parse(data.subarray(end).toString('utf8'));
    return data.length;
  } catch {
    return end;
  }
}
