// Calls in flight hold their worst-case cost until they settle, so parallel calls are checked
// against each other, not only against what was already recorded.
export interface SpendHold {
  /** The local day the call started (YYYY-MM-DD). */
  day: string;
  generationId?: string;
  costUsd: number;
}

export class SpendHolds {
  private readonly held = new Set<SpendHold>();
  private waiters: Array<() => void> = [];

  heldOn(day: string): number {
    let sum = 0;
    for (const h of this.held) if (h.day === day) sum += h.costUsd;
    return sum;
  }

  heldFor(generationId: string): number {
    let sum = 0;
    for (const h of this.held) if (h.generationId === generationId) sum += h.costUsd;
    return sum;
  }

  get size(): number {
    return this.held.size;
  }

  hold(hold: SpendHold): SpendHold {
    this.held.add(hold);
    return hold;
  }

  release(hold: SpendHold): void {
    if (!this.held.delete(hold)) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves at the next release; rejects with the signal's reason when it aborts first. */
  nextRelease(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(signal.reason);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.push(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
