// Output of untrusted code, kept within a budget: the first half and the last half of the budget
// are kept, the middle is counted, hashed and dropped, and the text says what was cut.
import { createHash, type Hash } from 'node:crypto';

export interface CapturedOutput {
  /** The kept text; when output was cut, a marker line in the middle says how much. */
  text: string;
  /** Everything written, in bytes. */
  bytes: number;
  /** Bytes left out of `text`. */
  cutBytes: number;
  /** sha256 (hex) of everything written. */
  sha256: string;
}

export class OutputCapture {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  /** The tail as a ring of chunks, trimmed from the front when over its limit. */
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(
    private readonly name: string,
    limitBytes: number,
  ) {
    this.headLimit = Math.floor(limitBytes / 2);
    this.tailLimit = limitBytes - this.headLimit;
  }

  get bytes(): number {
    return this.total;
  }

  write(chunk: Buffer): void {
    this.total += chunk.length;
    this.hash.update(chunk);
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (!rest.length || this.tailLimit === 0) return;
    if (rest.length >= this.tailLimit) {
      this.tail = [Buffer.from(rest.subarray(rest.length - this.tailLimit))];
      this.tailBytes = this.tailLimit;
      return;
    }
    this.tail.push(Buffer.from(rest));
    this.tailBytes += rest.length;
    while (this.tailBytes - this.tail[0].length >= this.tailLimit) this.tailBytes -= this.tail.shift()!.length;
    if (this.tailBytes > this.tailLimit) {
      const over = this.tailBytes - this.tailLimit;
      this.tail[0] = this.tail[0].subarray(over);
      this.tailBytes -= over;
    }
  }

  /** The captured output; call once, at the end. */
  finish(): CapturedOutput {
    const kept = this.headBytes + this.tailBytes;
    const cutBytes = this.total - kept;
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    const text = cutBytes > 0 ? `${head}\n… [${formatBytes(cutBytes)} of ${this.name} cut here; ${formatBytes(this.total)} in all] …\n${tail}` : head + tail;
    return { text, bytes: this.total, cutBytes, sha256: this.hash.digest('hex') };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** An empty capture, for a phase that never started. */
export function emptyOutput(name: string): CapturedOutput {
  return new OutputCapture(name, 0).finish();
}
