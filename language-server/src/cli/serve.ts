// `qlp serve`: the team backend. It is its own bundle (dist/backend.js, with fastify, pg and
// PGlite), loaded from beside this one only when asked for, so the command line stays lean.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { CliCommand } from './command';
import { EnvironmentError } from './errors';

interface BackendModule {
  runBackend(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number>;
}

export const serveCommand: CliCommand = {
  summary: 'Run the shared team backend (HTTP API for pushing and pulling capsules).',
  usage:
    'qlp serve [--port <n>] [--host <address>] [--database-url <url>] [--data <dir>] [--rate-limit <per minute>] [--log-requests] [--trust-proxy <addresses>]',
  help: {
    flags: [
      ['--port <n>', 'The port to listen on (default 8787; 0 picks a free one).'],
      ['--host <address>', 'The address to listen on (default 127.0.0.1).'],
      ['--database-url <url>', 'A PostgreSQL server to keep every byte in (default: the embedded database).'],
      ['--data <dir>', "The embedded database's folder (default $QLP_HOME/backend)."],
      ['--rate-limit <per minute>', 'Requests a key may make a minute (default 120).'],
      ['--log-requests', 'Log each request to stderr as one JSON line, keys redacted.'],
      ['--trust-proxy <addresses>', 'Proxies whose X-Forwarded-For is believed (addresses, CIDR ranges or loopback).'],
    ],
    examples: ['QLP_ADMIN_KEY=a-long-random-secret qlp serve --port 8787 --data ./qlp-data'],
    env: ['QLP_ADMIN_KEY', 'DATABASE_URL', 'QLP_RATE_LIMIT', 'PORT', 'QLP_BACKEND_HOST', 'QLP_BACKEND_DATA', 'QLP_BACKEND_LOG', 'QLP_TRUST_PROXY', 'QLP_HOME'],
  },
  async run(args, io) {
    const path = join(__dirname, 'backend.js');
    if (!existsSync(path))
      throw new EnvironmentError(
        `the team backend is not part of this install (${path} is missing); run it from a QLP checkout with 'npm run backend' or from its Docker image.`,
      );
    const backend = createRequire(__filename)(path) as BackendModule;
    return backend.runBackend(args, io.env);
  },
};
