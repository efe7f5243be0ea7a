// Never burn tokens on repeats: the same failure twice in a row means the current approach is
// stuck, so the caller escalates to a stronger tier or stops.
import { createHash } from 'node:crypto';

/**
 * A failure's identity: its messages with volatile details (numbers, durations, temp paths)
 * masked, order-independent.
 */
export function failureSignature(messages: string[]): string {
  const normalized = messages
    .map((m) =>
      m
        .replace(/\/tmp\/[^\s:'"]+/g, '<tmp>')
        .replace(/\d+(\.\d+)?\s*m?s\b/g, '<time>')
        .replace(/0x[0-9a-f]+/gi, '<addr>')
        .trim(),
    )
    .sort();
  return createHash('sha256').update(normalized.join('\n')).digest('hex').slice(0, 16);
}

export class LoopGuard {
  private last: string | undefined;

  /** Records a failure; `repeat` when it is the same as the one just before. */
  onFailure(signature: string): 'new' | 'repeat' {
    const verdict = signature === this.last ? 'repeat' : 'new';
    this.last = signature;
    return verdict;
  }

  onSuccess(): void {
    this.last = undefined;
  }
}
