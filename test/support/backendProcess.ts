// The built team backend (dist/backend.js) as a process on a free loopback port, over a fresh
// embedded database or a private PostgreSQL cluster (see postgres.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { distDir, requireBuilt } from './paths';
import { scratch } from './capsuleFixtures';
import { postgresSkipReason, startPostgres, type PostgresCluster } from './postgres';

export const adminKey = 'test-admin-key-0123456789abcdef';

export interface BackendOptions {
  /** The embedded database's folder (PGlite); with a PostgreSQL URL, a folder that must stay unused. */
  data?: string;
  /** A PostgreSQL URL. */
  databaseUrl?: string;
  rateLimit?: number;
  /** Log each request to stderr (see log()). */
  logRequests?: boolean;
}

export interface BackendProcess {
  url: string;
  child: ChildProcess;
  /** stderr so far (the backend logs there). */
  log(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, with no chance to tidy up. */
  kill(): Promise<void>;
}

export function startBackendProcess(options: BackendOptions): Promise<BackendProcess> {
  const args = [requireBuilt(join(distDir, 'backend.js')), '--port', '0', '--rate-limit', String(options.rateLimit ?? 100_000)];
  if (options.logRequests) args.push('--log-requests');
  if (options.databaseUrl) args.push('--database-url', options.databaseUrl);
  args.push('--data', options.data ?? scratch('qlp-backend-'));
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, QLP_ADMIN_KEY: adminKey },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void end('SIGKILL');
      reject(new Error(`the backend did not start within 120 s:\n${stderr}`));
    }, 120_000);
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child, log: () => stderr, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the backend exited (${code}) before listening:\n${stderr}`));
    });
  });
}

/** The databases every backend test runs against; PostgreSQL may only be absent outside CI. */
export interface DatabaseUnderTest {
  name: string;
  skip?: string;
  /** Options for a backend over this database; the same database each time it is called. */
  options(): Promise<BackendOptions>;
  dispose(): void;
}

export function databasesUnderTest(): DatabaseUnderTest[] {
  const data = scratch('qlp-backend-');
  let cluster: Promise<PostgresCluster> | undefined;
  return [
    { name: 'embedded (PGlite)', options: async () => ({ data }), dispose: () => undefined },
    {
      name: 'PostgreSQL',
      skip: postgresSkipReason(),
      options: async () => ({ databaseUrl: (await (cluster ??= startPostgres())).url }),
      dispose: () => void cluster?.then((c) => c.stop()),
    },
  ];
}

/** fetch with the key as a bearer token (and any other headers given). */
export function api(base: string, key: string | undefined) {
  return async (
    path: string,
    init: { method?: string; json?: unknown; body?: Uint8Array | string; type?: string } = {},
    extraHeaders: Record<string, string> = {},
  ) => {
    const headers: Record<string, string> = { ...extraHeaders };
    if (key) headers.authorization = `Bearer ${key}`;
    let body: Uint8Array | string | undefined = init.body;
    if (init.json !== undefined) body = JSON.stringify(init.json);
    if (body !== undefined) headers['content-type'] = init.type ?? (init.json !== undefined ? 'application/json' : 'application/octet-stream');
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: typeof body === 'string' || body === undefined ? body : new Blob([new Uint8Array(body)]),
    });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
}
