// Decides whether a crashed language server is restarted automatically: at most `maxRestarts`
// crashes within a sliding window, after which the user restarts it by command.

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly maxRestarts: number,
    private readonly windowMs = 3 * 60_000,
  ) {}

  /** Records a crash at `now` and says whether another automatic restart is allowed. */
  onCrash(now: number): boolean {
    this.crashes = this.crashes.filter((at) => now - at < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length <= this.maxRestarts;
  }

  /** How many crashes the current window holds. */
  get recentCrashes(): number {
    return this.crashes.length;
  }

  /** Forgets past crashes (a manual restart starts afresh). */
  reset(): void {
    this.crashes = [];
  }
}
