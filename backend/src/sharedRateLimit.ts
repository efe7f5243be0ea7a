// Rate limits shared by every backend on one PostgreSQL database: a token bucket per key or
// address in the `rate_limits` table (unlogged: a crash may refill the buckets, nothing else),
// taken from in one atomic statement with the database's clock, so 60 a minute is 60 a minute over
// all instances and no instance's clock matters.
//
// To keep that statement off most requests, an instance takes tokens in leases of 1% of the limit
// (at least one) and spends them locally for up to two seconds; tokens it leases but does not spend
// are lost, never granted twice, so the instances together never pass the limit (they may stay a
// little under it). A refused bucket is refused locally until the database said a token would be
// back, so a flood past the limit costs the database nothing more.
import type { Queryable } from './db/database';

export interface RequestLimiter {
  readonly perMinute: number;
  /** null when the request may go ahead, else the whole seconds to wait. */
  take(bucket: string): number | null | Promise<number | null>;
}

const leaseMs = 2_000;
/** Buckets remembered at once; past it, what is remembered is dropped (a lease lost, a refusal asked again). */
const maxRemembered = 10_000;

/** How many tokens of the bucket are there now, refilled at the limit per minute since its last use. */
const available = 'LEAST($2::float8, b.tokens + GREATEST(0, extract(epoch FROM EXCLUDED.refreshed_at - b.refreshed_at)::float8) * $2::float8 / 60)';
const granted = `LEAST($3::bigint, floor(${available})::bigint)`;

/** Takes up to $3 tokens of bucket $1 (limit $2 a minute); answers how many it got and how many are left. */
const takeSql = `
  INSERT INTO rate_limits AS b (bucket, tokens, granted, refreshed_at)
  VALUES ($1, $2::float8 - LEAST($3::bigint, floor($2::float8)::bigint), LEAST($3::bigint, floor($2::float8)::bigint), clock_timestamp())
  ON CONFLICT (bucket) DO UPDATE SET
    granted = ${granted},
    tokens = ${available} - ${granted},
    refreshed_at = GREATEST(b.refreshed_at, EXCLUDED.refreshed_at)
  RETURNING granted::float8 AS granted, tokens`;

/** Takes `want` tokens from a shared bucket; what the database granted and what it has left. */
export async function takeTokens(db: Queryable, bucket: string, perMinute: number, want: number): Promise<{ granted: number; left: number }> {
  const [row] = await db.query<{ granted: number; tokens: number }>(takeSql, [bucket, perMinute, want]);
  return { granted: Number(row.granted), left: Number(row.tokens) };
}

/** Buckets untouched for two minutes are full again: dropping them changes nothing. */
export async function forgetFullBuckets(db: Queryable): Promise<void> {
  await db.query("DELETE FROM rate_limits WHERE refreshed_at < now() - interval '2 minutes'");
}

export class SharedRateLimiter implements RequestLimiter {
  readonly lease: number;
  private readonly leases = new Map<string, { tokens: number; until: number }>();
  private readonly refusedUntil = new Map<string, number>();
  private readonly asking = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Queryable,
    readonly perMinute: number,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.lease = Math.max(1, Math.floor(perMinute / 100));
  }

  async take(key: string): Promise<number | null> {
    for (;;) {
      const now = this.now();
      const lease = this.leases.get(key);
      if (lease && lease.tokens >= 1 && lease.until > now) {
        lease.tokens--;
        return null;
      }
      const refused = this.refusedUntil.get(key);
      if (refused !== undefined && refused > now) return Math.max(1, Math.ceil((refused - now) / 1000));
      // One question to the database per bucket at a time; the others wait for its lease.
      const pending = this.asking.get(key);
      if (pending) {
        await pending.catch(() => undefined);
        continue;
      }
      const asked = takeTokens(this.db, `${this.prefix}:${key}`, this.perMinute, this.lease);
      this.asking.set(key, asked);
      try {
        const { granted, left } = await asked;
        const at = this.now();
        if (this.leases.size >= maxRemembered || this.refusedUntil.size >= maxRemembered) {
          this.leases.clear();
          this.refusedUntil.clear();
        }
        if (granted >= 1) {
          this.refusedUntil.delete(key);
          this.leases.set(key, { tokens: granted - 1, until: at + leaseMs });
          return null;
        }
        const waitMs = ((1 - left) * 60_000) / this.perMinute;
        this.refusedUntil.set(key, at + waitMs);
        return Math.max(1, Math.ceil(waitMs / 1000));
      } finally {
        this.asking.delete(key);
      }
    }
  }
}
