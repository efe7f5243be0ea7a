// Bytes of bodies the backend holds in memory at once, over all requests. A request reserves its
// share before its body is read or its answer is built, and waits, first come first served, while
// the budget is spent: eight parallel 100 MB uploads take turns instead of taking 2 GB.

export class MemoryBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; grant: () => void }> = [];

  constructor(readonly total: number) {}

  /**
   * Resolves with the function that gives the bytes back (idempotent) once `bytes` fit (a
   * reservation larger than the whole budget waits for all of it); rejects when `signal` aborts first.
   */
  async reserve(bytes: number, signal?: AbortSignal): Promise<() => void> {
    const share = Math.min(Math.max(0, Math.ceil(bytes)), this.total);
    if (this.waiting.length === 0 && this.used + share <= this.total) {
      this.used += share;
      return this.releaser(share);
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        bytes: share,
        grant: () => {
          signal?.removeEventListener('abort', giveUp);
          resolve();
        },
      };
      const giveUp = () => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        this.grantWaiting();
        reject(new Error('the request ended while it waited for memory'));
      };
      if (signal?.aborted) return giveUp();
      signal?.addEventListener('abort', giveUp, { once: true });
      this.waiting.push(entry);
    });
    return this.releaser(share);
  }

  /** Bytes reserved now. */
  get inUse(): number {
    return this.used;
  }

  private releaser(bytes: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= bytes;
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.used + this.waiting[0].bytes <= this.total) {
      const next = this.waiting.shift()!;
      this.used += next.bytes;
      next.grant();
    }
  }
}
