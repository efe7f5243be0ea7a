// Small helpers every tool adapter uses to turn its positions into findings.
import { relative, sep } from 'node:path';
import type { TextSpan } from '../../../protocol/validate';

/** `absPath` relative to `root`, with `/` separators. */
export function relPath(root: string, absPath: string): string {
  return relative(root, absPath).split(sep).join('/');
}

/** Offsets of the start of each line in `text`. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line and column of a 0-based offset. */
export function positionAt(starts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low] + 1 };
}

/** The span between two 0-based offsets. */
export function spanOf(starts: number[], start: number, end: number): TextSpan {
  const a = positionAt(starts, start);
  const b = positionAt(starts, Math.max(start, end));
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/** Lets queued messages (a cancel) be read between two pieces of synchronous work. */
export function yieldToEventLoop(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      if (signal?.aborted) reject(signal.reason);
      else resolve();
    }),
  );
}
