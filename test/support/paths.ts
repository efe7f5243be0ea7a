import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
export const distDir = join(repoRoot, 'dist');
export const cliPath = join(distDir, 'cli.js');
export const serverPath = join(distDir, 'server.js');

/** Fails with a clear message when the bundles are missing (tests run against the built product). */
export function requireBuilt(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing; run 'npm run build' first.`);
  return path;
}
