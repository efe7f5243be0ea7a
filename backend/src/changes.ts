// What one instance changes, every instance hears: a push drops the team's cached capsule lists
// and a revoked key leaves every key cache. Written in the transaction that makes the change
// (NOTIFY is delivered at its commit, and only if it commits); the instance that made it also
// drops its own copies at once, so its next answer never waits for the round trip.
import type { BackendContext } from './context';
import type { Database, Queryable } from './db/database';

const channels = { capsules: 'qlp_capsules', keys: 'qlp_keys' } as const;

/** Inside the push's transaction: tell every instance the team's capsules change. */
export async function announceCapsulesChanged(ctx: BackendContext, tx: Queryable, team: string): Promise<void> {
  if (ctx.db.kind === 'postgres') await tx.query('SELECT pg_notify($1, $2)', [channels.capsules, team]);
}

/** Inside the revocation's transaction: tell every instance to look keys up again. */
export async function announceKeysChanged(ctx: BackendContext, tx: Queryable): Promise<void> {
  if (ctx.db.kind === 'postgres') await tx.query('SELECT pg_notify($1, $2)', [channels.keys, '']);
}

/** After the commit, on this instance. */
export function capsulesChanged(ctx: BackendContext, team: string): void {
  ctx.listCache.invalidate(team);
}

export function keysChanged(ctx: BackendContext): void {
  ctx.keyCache.clear();
}

/**
 * Hears the other instances' changes (PostgreSQL). Until it listens, and whenever its connection
 * is lost, the list cache keeps nothing and keys are looked up again.
 */
export async function listenForChanges(ctx: BackendContext, db: Database): Promise<{ close(): Promise<void> }> {
  if (!db.listen) return { close: async () => undefined };
  return db.listen(
    Object.values(channels),
    (channel, payload) => {
      if (channel === channels.capsules) capsulesChanged(ctx, payload);
      else keysChanged(ctx);
    },
    (listening) => {
      ctx.listCache.setLive(listening);
      keysChanged(ctx);
    },
  );
}
