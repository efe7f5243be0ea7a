// The backend's configuration: flags win over environment variables, which win over defaults.
import { join } from 'node:path';

export interface BackendConfig {
  host: string;
  port: number;
  /** Where the embedded database keeps its files (ignored with a database URL). */
  dataDir: string;
  databaseUrl?: string;
  /** The first admin key (QLP_ADMIN_KEY); only its hash is stored. */
  adminKey?: string;
  rateLimitPerMinute: number;
  /** Log each request to stderr, one JSON line (pino) each, keys redacted. */
  logRequests: boolean;
  /**
   * Proxies whose X-Forwarded-For is believed (comma-separated addresses, CIDR ranges, or
   * `loopback`, `linklocal`, `uniquelocal`), so requests without a key are limited by the client's
   * address rather than the proxy's.
   */
  trustProxy?: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const home = env.QLP_HOME || join(env.XDG_DATA_HOME || join(env.HOME || '.', '.local', 'share'), 'qlp');
  return join(home, 'backend');
}

export function configFromEnv(env: NodeJS.ProcessEnv): BackendConfig {
  return {
    host: env.QLP_BACKEND_HOST || '127.0.0.1',
    port: env.PORT ? Number(env.PORT) : 8787,
    dataDir: env.QLP_BACKEND_DATA || defaultDataDir(env),
    databaseUrl: env.DATABASE_URL || undefined,
    adminKey: env.QLP_ADMIN_KEY || undefined,
    rateLimitPerMinute: env.QLP_RATE_LIMIT ? Number(env.QLP_RATE_LIMIT) : 120,
    logRequests: env.QLP_BACKEND_LOG === '1',
    trustProxy: env.QLP_TRUST_PROXY || undefined,
  };
}
