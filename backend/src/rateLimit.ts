// Requests per minute, as a token bucket per caller (an API key, or a client address for requests
// without a known key): a caller may burst up to its limit, then gets a token back every
// 60/limit seconds. Past it: 429 with Retry-After (whole seconds). Counted in this process: for
// one instance over its embedded database (instances sharing PostgreSQL use sharedRateLimit.ts).
import type { RequestLimiter } from './sharedRateLimit';

/** Callers tracked at once; past it, full buckets go first, then the oldest. */
const maxBuckets = 10_000;

export class RateLimiter implements RequestLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** null when the request may go ahead, else the seconds to wait. */
  take(key: string): number | null {
    const rate = this.perMinute / 60_000;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= maxBuckets) this.shrink();
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
  }

  /**
   * Drops buckets that are full again (they behave exactly like a new one), then, if many callers
   * are mid-burst, the oldest, down to half the cap: the cost of a sweep is spread over the
   * thousands of new callers it makes room for.
   */
  private shrink(): void {
    const now = this.now();
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * (this.perMinute / 60_000) >= this.perMinute) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= maxBuckets / 2) break;
      this.buckets.delete(key);
    }
  }
}
