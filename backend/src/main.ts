// The team backend's entry point (dist/backend.js): `npm run backend`, `qlp serve` and the Docker
// image all start it through `startBackend`.
import { join } from 'node:path';
import { buildApp } from './app';
import { databaseBlobData, fileBlobData } from './blobData';
import { configFromEnv, type BackendConfig } from './config';
import type { BackendContext } from './context';
import { listenForChanges } from './changes';
import type { Database } from './db/database';
import { openDatabase } from './db/open';
import { bodyMemoryBytes } from './limits';
import { ListCache } from './listCache';
import { MemoryBudget } from './memoryBudget';
import { Metrics } from './metrics';
import { RateLimiter } from './rateLimit';
import { ensureAdminKey } from './repo/keys';
import { forgetFullBuckets, SharedRateLimiter } from './sharedRateLimit';

declare const __QLP_VERSION__: string;
const version = typeof __QLP_VERSION__ === 'string' ? __QLP_VERSION__ : '0.0.0-dev';

export interface RunningBackend {
  url: string;
  database: 'embedded' | 'postgres';
  close(): Promise<void>;
}

export async function startBackend(config: BackendConfig, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<RunningBackend> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const blobData = db.kind === 'embedded' ? fileBlobData(join(config.dataDir, 'blobs')) : databaseBlobData();
  const ctx: BackendContext = {
    db,
    blobData,
    config,
    metrics: new Metrics(),
    memory: new MemoryBudget(bodyMemoryBytes),
    // With PostgreSQL, lists are kept only while this instance hears the others' pushes.
    listCache: new ListCache(db.kind === 'embedded'),
    keyCache: new Map(),
    rateLimits: rateLimiters(db, config.rateLimitPerMinute),
  };
  const listener = await listenForChanges(ctx, db).catch(async (err) => {
    await db.close().catch(() => undefined);
    throw err;
  });
  // Shared buckets nobody used for two minutes are full again: dropped, so the table stays small.
  const sweep = db.kind === 'postgres' ? setInterval(() => void forgetFullBuckets(db).catch(() => undefined), 60_000).unref() : undefined;
  try {
    if (config.adminKey) {
      if (config.adminKey.length < 16) throw new Error('QLP_ADMIN_KEY must be at least 16 characters.');
      if ((await ensureAdminKey(db, config.adminKey)) === 'restored') log('qlp backend: QLP_ADMIN_KEY had been revoked or demoted; it is an admin key again.');
    } else if ((await db.query('SELECT 1 FROM api_keys WHERE revoked_at IS NULL LIMIT 1')).length === 0) {
      log('qlp backend: no API key exists yet; set QLP_ADMIN_KEY to create the first admin key.');
    }
    const app = buildApp(ctx, version);
    const address = await app.listen({ host: config.host, port: config.port });
    const url = address.replace('[::1]', 'localhost');
    log(`qlp backend ${version} listening on ${url} (${db.kind === 'embedded' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`);
    return {
      url,
      database: db.kind,
      async close() {
        clearInterval(sweep);
        await app.close();
        await listener.close();
        await db.close();
      },
    };
  } catch (err) {
    clearInterval(sweep);
    await listener.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
}

/**
 * One instance over its embedded database counts in memory; instances sharing a PostgreSQL
 * database count together in it (sharedRateLimit.ts).
 */
function rateLimiters(db: Database, perMinute: number): BackendContext['rateLimits'] {
  if (db.kind === 'embedded') return { keys: new RateLimiter(perMinute), addresses: new RateLimiter(perMinute) };
  return { keys: new SharedRateLimiter(db, perMinute, 'key'), addresses: new SharedRateLimiter(db, perMinute, 'address') };
}

/** Parses `--port`, `--host`, `--data`, `--database-url`, `--rate-limit`, `--log-requests` and `--trust-proxy` over the environment's defaults. */
export function configFromArgs(args: readonly string[], env: NodeJS.ProcessEnv): BackendConfig {
  const config = configFromEnv(env);
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value.`);
      return v;
    };
    if (flag === '--port') config.port = Number(value());
    else if (flag === '--host') config.host = value();
    else if (flag === '--data') config.dataDir = value();
    else if (flag === '--database-url') config.databaseUrl = value();
    else if (flag === '--rate-limit') config.rateLimitPerMinute = Number(value());
    else if (flag === '--log-requests') config.logRequests = true;
    else if (flag === '--trust-proxy') config.trustProxy = value();
    else throw new Error(`unknown option '${args[i]}'; the options are --port, --host, --data, --database-url, --rate-limit, --log-requests, --trust-proxy.`);
  }
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new Error('--port must be a port number (0 picks a free one).');
  if (!Number.isInteger(config.rateLimitPerMinute) || config.rateLimitPerMinute < 1)
    throw new Error('--rate-limit must be a whole number of requests a minute, at least 1.');
  return config;
}

/** Runs until SIGINT or SIGTERM; exit code 2 for bad options, 3 when it cannot start. */
export async function runBackend(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config: BackendConfig;
  try {
    config = configFromArgs(args, env);
  } catch (err) {
    process.stderr.write(`qlp serve: ${(err as Error).message}\n`);
    return 2;
  }
  let running: RunningBackend;
  try {
    running = await startBackend(config);
  } catch (err) {
    process.stderr.write(`qlp serve: cannot start: ${(err as Error).message}\n`);
    return 3;
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  return 0;
}

if (require.main === module) {
  runBackend(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
  });
}
