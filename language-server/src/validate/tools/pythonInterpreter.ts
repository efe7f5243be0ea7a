// The Python interpreter pyright should ask for its search paths, and its version. When `python3`
// on PATH is a version manager's shim (pyenv, asdf: a script that starts a shell and more), each
// of pyright's calls through it costs about half a second of CPU; the real interpreter answers in
// 50 ms. The shim's answer is kept on disk, keyed by everything that decides it, so later runs
// skip the shim. The version is kept too (keyed by the interpreter's file), so pyright, told it,
// starts Python once instead of twice per run.
import { execFile } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';

type Cache = Record<string, string>;

export interface PythonInterpreter {
  path: string;
  /** "3.11"; undefined when the interpreter did not say. */
  version?: string;
}

/** True when `path` is `root` or below it. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/** A PATH without the folders a program of an untrusted `root` could be found in (relative ones, and those below it). */
export function pathOutside(root: string, pathVariable: string | undefined): string {
  return (pathVariable ?? '')
    .split(delimiter)
    .filter((dir) => dir && isAbsolute(dir) && !inside(root, dir))
    .join(delimiter);
}

/** `name` in a PATH folder; never one relative to the working folder or below `untrustedRoot`. */
function onPath(name: string, pathVariable: string | undefined, untrustedRoot?: string): string | undefined {
  const path = untrustedRoot === undefined ? pathVariable : pathOutside(untrustedRoot, pathVariable);
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function isScript(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    readSync(fd, head, 0, 2, 0);
    return head.toString() === '#!';
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** What a shim's choice depends on: the shim, version variables, version files up the tree. */
function shimKey(shim: string, root: string, env: NodeJS.ProcessEnv): string {
  const files: string[] = [];
  for (let dir = root; ; dir = dirname(dir)) {
    for (const name of ['.python-version', '.tool-versions']) {
      const path = join(dir, name);
      if (existsSync(path)) files.push(`${path}=${readFileSync(path, 'utf8').trim()}`);
    }
    if (dirname(dir) === dir) break;
  }
  const globalVersion = join(env.PYENV_ROOT ?? join(env.HOME ?? '', '.pyenv'), 'version');
  const global = existsSync(globalVersion) ? readFileSync(globalVersion, 'utf8').trim() : '';
  return JSON.stringify([shim, statSync(shim).mtimeMs, env.PYENV_VERSION ?? '', env.ASDF_PYTHON_VERSION ?? '', global, files]);
}

function readCache(file: string): Cache {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Cache;
  } catch {
    return {};
  }
}

function writeCache(file: string, key: string, value: string): void {
  try {
    const kept = Object.entries({ ...readCache(file), [key]: value }).slice(-32);
    writeFileSync(file, JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // an unwritable cache only costs the next run the question again
  }
}

function askShim(shim: string, root: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(shim, ['-c', 'import sys; print(sys.executable)'], { cwd: root, env, signal, timeout: 30_000 }, (err, stdout) => {
      const exe = stdout.trim();
      resolve(!err && exe.startsWith('/') && existsSync(exe) ? exe : undefined);
    });
  });
}

function askVersion(exe: string, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(exe, ['-I', '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { signal, timeout: 30_000 }, (err, stdout) => {
      const version = stdout.trim();
      resolve(!err && /^\d+\.\d+$/.test(version) ? version : undefined);
    });
  });
}

/** The interpreter's version, from the cache while the interpreter's file is unchanged. */
async function versionOf(exe: string, cache: Cache, cacheFile: string, signal: AbortSignal): Promise<string | undefined> {
  let key: string;
  try {
    const { size, mtimeMs } = statSync(exe);
    key = JSON.stringify(['version', realpathSync(exe), size, mtimeMs]);
  } catch {
    return undefined; // gone meanwhile: pyright asks (and reports) itself
  }
  if (cache[key]) return cache[key];
  const version = await askVersion(exe, signal);
  if (version) writeCache(cacheFile, key, version);
  return version;
}

/**
 * The real interpreter behind `python3` (or `python`) on PATH, asking a shim when it is one. A shim
 * is asked in `root`, whose version files choose its answer (asdf's may name any program).
 */
async function interpreterPath(
  root: string,
  env: NodeJS.ProcessEnv,
  cache: Cache,
  cacheFile: string,
  signal: AbortSignal,
  untrustedRoot?: string,
): Promise<string | undefined> {
  const found = onPath('python3', env.PATH, untrustedRoot) ?? onPath('python', env.PATH, untrustedRoot);
  if (!found || !isScript(found)) return found;
  const key = shimKey(found, root, env);
  const cached = cache[key];
  if (cached && existsSync(cached)) return cached;
  const exe = await askShim(found, root, env, signal);
  if (exe) writeCache(cacheFile, key, exe);
  return exe;
}

/**
 * The interpreter to hand pyright (`--pythonpath`, and its version in the config), or undefined
 * when there is none. `cacheFile` keeps shims' answers and versions across runs. In an untrusted
 * folder nothing of the folder chooses or is the interpreter: a shim is asked in the home folder,
 * and PATH entries inside the folder (or relative ones) are passed over.
 */
export async function resolvePythonInterpreter(
  root: string,
  env: NodeJS.ProcessEnv,
  cacheFile: string,
  signal: AbortSignal,
  trusted = true,
): Promise<PythonInterpreter | undefined> {
  const cache = readCache(cacheFile);
  const askIn = trusted ? root : env.HOME || homedir();
  const path = await interpreterPath(askIn, env, cache, cacheFile, signal, trusted ? undefined : root);
  if (!path || (!trusted && inside(root, path))) return undefined;
  return { path, version: await versionOf(path, cache, cacheFile, signal) };
}
