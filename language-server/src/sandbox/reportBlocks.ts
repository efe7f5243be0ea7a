// Machine-readable results leave the sandbox on stdout (the only way out), in blocks fenced by
// markers that carry a random nonce chosen for the run:
//   \n@@qlp-report <nonce> <name>@@\n<content>\n@@qlp-end <nonce>@@\n
// The sandbox splits them off stdout as it arrives, so they never reach the output users see,
// the live stream or the output budget. A test that prints a look-alike block cannot know the
// nonce in advance, and the blocks QLP prints come after the tests have ended, so the last
// block of a name wins.
import { createHash, randomBytes, type Hash } from 'node:crypto';

export interface ReportBlock {
  name: string;
  content: string;
}

/** Where the runners write their reports inside the sandbox; emptied before each run. */
export const reportDir = '/tmp/.qlp-report';

/** Most bytes of report kept per run: past it, blocks are dropped (a report that big is not believable). */
const reportBudget = 32 * 1024 * 1024;
/** Longest block name (a report file's name). */
const maxName = 200;

export function newNonce(): string {
  return randomBytes(12).toString('hex');
}

const beginMarker = (nonce: string) => `\n@@qlp-report ${nonce} `;
const endMarker = (nonce: string) => `\n@@qlp-end ${nonce}@@\n`;

/**
 * A shell line that runs `command`, then prints every file the runner left in the report folder
 * as a block, and exits with the command's status. The command runs in this shell, not a
 * subshell (every process counts against the sandbox's process limit), so it must not `exit`.
 */
export function withReports(command: string, nonce: string): string {
  return [
    `rm -rf ${reportDir}; mkdir -p ${reportDir}`,
    `{ ${command}\n}; s=$?`,
    `for f in ${reportDir}/*; do [ -f "$f" ] || continue; printf '\\n@@qlp-report %s %s@@\\n' ${nonce} "\${f##*/}"; cat "$f"; printf '\\n@@qlp-end %s@@\\n' ${nonce}; done`,
    `rm -rf ${reportDir}`,
    'exit $s',
  ].join('; ');
}

/**
 * Splits report blocks off a stream as it arrives: everything else is forwarded as it came
 * (holding back only the bytes that could start a marker).
 */
export class ReportSplitter {
  private readonly begin: Buffer;
  private readonly end: Buffer;
  private held = Buffer.alloc(0);
  /** The block being read: its name and content so far. */
  private inside: { name: string; parts: Buffer[]; bytes: number } | undefined;
  private readonly blocks: ReportBlock[] = [];
  private kept = 0;
  private reportBytes = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(
    nonce: string,
    private readonly forward: (chunk: Buffer) => void,
    /** Told of each block as soon as it has ended. */
    private readonly onBlock?: (block: ReportBlock) => void,
  ) {
    this.begin = Buffer.from(beginMarker(nonce));
    this.end = Buffer.from(endMarker(nonce));
  }

  write(chunk: Buffer): void {
    let data = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = Buffer.alloc(0);
    for (;;) {
      if (this.inside) {
        const at = data.indexOf(this.end);
        const again = data.indexOf(this.begin);
        if (again >= 0 && (at < 0 || again < at)) {
          // A block that never ended (cut short): the new one replaces it.
          this.inside = undefined;
          data = data.subarray(again);
          continue;
        }
        if (at < 0) {
          const keep = Math.max(0, data.length - (Math.max(this.begin.length, this.end.length) - 1));
          this.take(data.subarray(0, keep));
          this.held = Buffer.from(data.subarray(keep));
          return;
        }
        this.take(data.subarray(0, at));
        this.close();
        data = data.subarray(at + this.end.length);
        continue;
      }
      const at = data.indexOf(this.begin);
      if (at < 0) {
        const keep = Math.max(0, data.length - (this.begin.length - 1));
        if (keep) this.forward(data.subarray(0, keep));
        this.held = Buffer.from(data.subarray(keep));
        return;
      }
      const nameStart = at + this.begin.length;
      const nameEnd = data.subarray(nameStart, nameStart + maxName + 3).indexOf('@@\n');
      if (nameEnd < 0) {
        if (data.length - nameStart < maxName + 3) {
          // The header may still be coming.
          if (at) this.forward(data.subarray(0, at));
          this.held = Buffer.from(data.subarray(at));
          return;
        }
        // Not a header after all: pass the marker's first byte on and look again after it.
        this.forward(data.subarray(0, at + 1));
        data = data.subarray(at + 1);
        continue;
      }
      if (at) this.forward(data.subarray(0, at));
      const name = data.subarray(nameStart, nameStart + nameEnd).toString('utf8');
      this.inside = { name, parts: [], bytes: 0 };
      data = data.subarray(nameStart + nameEnd + 3);
    }
  }

  /** Forwards what is held (an unfinished block is dropped) and returns the blocks read. */
  finish(): { blocks: ReportBlock[]; bytes: number; sha256: string } {
    if (!this.inside && this.held.length) this.forward(this.held);
    this.held = Buffer.alloc(0);
    this.inside = undefined;
    return { blocks: this.blocks, bytes: this.reportBytes, sha256: this.hash.digest('hex') };
  }

  private take(bytes: Buffer): void {
    if (!bytes.length || !this.inside) return;
    this.reportBytes += bytes.length;
    this.hash.update(bytes);
    if (this.kept + this.inside.bytes + bytes.length > reportBudget) return;
    this.inside.parts.push(Buffer.from(bytes));
    this.inside.bytes += bytes.length;
  }

  private close(): void {
    const block = this.inside!;
    this.inside = undefined;
    this.kept += block.bytes;
    const read = { name: block.name, content: Buffer.concat(block.parts).toString('utf8') };
    this.blocks.push(read);
    this.onBlock?.(read);
  }
}

/** The last block of each name, in order of their names' first appearance. */
export function lastBlocks(blocks: readonly ReportBlock[], name: (n: string) => boolean = () => true): ReportBlock[] {
  const byName = new Map<string, ReportBlock>();
  for (const block of blocks) if (name(block.name)) byName.set(block.name, block);
  return [...byName.values()];
}
