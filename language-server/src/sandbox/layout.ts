// What both sandboxes lay out inside, and where their files live on this machine.
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Paths inside the sandbox (its own mount points), not on this machine.
const work = '/project';

export const paths = {
  /** The staged project, read-only. */
  source: '/src',
  /** The working folder: a size-limited tmpfs the project is copied into for each run. */
  work,
  /** Installed Node.js dependencies, read-only in tests. */
  nodeModules: `${work}/node_modules`,
  /** Installed Python dependencies, read-only in tests. */
  pythonDeps: '/deps/python',
  /** The installers' download caches (writable for installs only, never mounted for tests). */
  cache: '/cache',
  /** Where an install phase writes the dependencies it installs. */
  depsOut: '/deps/out',
  /** QLP's own helpers for test runs (reporters, the mutation drivers), read-only. */
  tools: '/qlp',
} as const;

/**
 * The launcher inside a fresh sandbox: copies the staged project into /project and replaces itself
 * with the command. Needs only sh and cp.
 */
export const launcherScript = `cp -a ${paths.source}/. ${work}/ && cd ${work} && exec "$@"`;

/** The same for a sandbox that runs many times (a warm container): /project is emptied first. */
export const reusedLauncherScript = `find ${work} -mindepth 1 ! -path ${paths.nodeModules} ! -path '${paths.nodeModules}/*' -delete 2>/dev/null; ${launcherScript}`;

/** argv that runs `argv` through the launcher. */
export function launch(argv: string[]): string[] {
  return ['/bin/sh', '-c', launcherScript, 'qlp-sandbox', ...argv];
}

/** Whether every folder above `dir` lets other users through (the sandbox user must reach it). */
function traversableByOthers(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return false;
    } catch {
      // not created yet: its parent decides
    }
    if (dirname(d) === d) return true;
  }
}

/**
 * Where the sandbox keeps staged projects, dependency caches and the skeleton /etc. Under the QLP
 * data folder, unless QLP runs as root with a private data folder the sandbox user could not
 * reach (bubblewrap binds as that user): then a root-owned folder in /var/tmp.
 */
export function sandboxDataDir(storageDir: string): string {
  const preferred = join(storageDir, 'sandbox');
  if (process.getuid?.() === 0 && !traversableByOthers(preferred)) return '/var/tmp/qlp-sandbox';
  return preferred;
}
