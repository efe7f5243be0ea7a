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
  usage: 'qlp serve [--port <n>] [--host <address>] [--database-url <url>] [--data <dir>] [--rate-limit <per minute>] [--log-requests]',
  async run(args, io) {
    const path = join(__dirname, 'backend.js');
    if (!existsSync(path)) throw new EnvironmentError(`the team backend is not part of this install (${path} is missing); run it from a QLP checkout with 'npm run backend' or from its Docker image.`);
    const backend = createRequire(__filename)(path) as BackendModule;
    return backend.runBackend(args, io.env);
  },
};
