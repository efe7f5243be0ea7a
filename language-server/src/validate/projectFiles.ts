// Facts about a project read from its files: the nearest config of a kind, the package.json
// that governs a file, whether declared dependencies are installed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The first of `names` found from `fromDir` up to `root` (inclusive), or undefined. */
export function findUp(names: readonly string[], fromDir: string, root: string, accept: (path: string) => boolean = () => true): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate) && accept(candidate)) return candidate;
    }
    if (dir === root || !dir.startsWith(root) || dir === dirname(dir)) return undefined;
  }
}

interface PackageJson {
  type?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const packageCache = new Map<string, { mtime: number; value: PackageJson | undefined }>();

/** The parsed package.json at `path` (undefined when missing or malformed), cached by mtime. */
export function readPackageJson(path: string): PackageJson | undefined {
  const mtime = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const cached = packageCache.get(path);
  if (cached && cached.mtime === mtime) return cached.value;
  let value: PackageJson | undefined;
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
  } catch {
    value = undefined;
  }
  packageCache.set(path, { mtime, value });
  return value;
}

/** The package.json that governs files in `dir`. */
export function nearestPackageJson(dir: string, root: string): string | undefined {
  return findUp(['package.json'], dir, root);
}

/** True when the nearest package.json declares dependencies but no node_modules folder holds them. */
export function dependenciesMissing(dir: string, root: string): boolean {
  const pkgPath = nearestPackageJson(dir, root);
  if (!pkgPath) return false;
  const pkg = readPackageJson(pkgPath);
  const declared = { ...pkg?.dependencies, ...pkg?.devDependencies, ...pkg?.peerDependencies };
  if (Object.keys(declared).length === 0) return false;
  return !findUp(['node_modules'], dirname(pkgPath), '/');
}

/** Whether JavaScript in `dir` is ECMAScript modules by default (package.json "type": "module"). */
export function isModulePackage(dir: string, root: string): boolean {
  const pkgPath = nearestPackageJson(dir, root);
  return pkgPath ? readPackageJson(pkgPath)?.type === 'module' : false;
}
