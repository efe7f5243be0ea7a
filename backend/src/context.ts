// What every route handler shares: the database, the configuration and the process's counters.
import type { BlobData } from './blobData';
import type { BackendConfig } from './config';
import type { Database } from './db/database';
import type { ListCache } from './listCache';
import type { MemoryBudget } from './memoryBudget';
import type { Metrics } from './metrics';
import type { Caller } from './repo/keys';
import type { RequestLimiter } from './sharedRateLimit';

export interface BackendContext {
  db: Database;
  /** Where blob bytes are kept (see blobData.ts). */
  blobData: BlobData;
  config: BackendConfig;
  metrics: Metrics;
  /** Bytes of bodies held in memory at once, over all requests (see memoryBudget.ts). */
  memory: MemoryBudget;
  /** Answers of GET /v1/capsules per team, dropped when the team's capsules change (changes.ts). */
  listCache: ListCache;
  /** Live keys by hash, for a few seconds, so a request does not cost a lookup. */
  keyCache: Map<string, { caller: Caller; until: number }>;
  /** Requests per minute per key, and per client address for requests that need a key looked up. */
  rateLimits: { keys: RequestLimiter; addresses: RequestLimiter };
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/** The authenticated caller of a /v1 route (the auth hook has run). */
export function callerOf(request: { caller: Caller | null }): Caller {
  if (!request.caller) throw new Error('route without an authenticated caller');
  return request.caller;
}
