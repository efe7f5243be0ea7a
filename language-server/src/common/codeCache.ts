// Loads a bundle through V8's code cache. Node 20 compiles every bundle from source on every
// start (its own compile cache came in Node 22); for the CLI and the validation worker, whose
// bundles hold TypeScript and ESLint, that was a second of CPU per `qlp validate`. The cache keeps
// the compiled code of the functions a run used, under QLP's cache folder, keyed by the bundle's
// path, size and time and by Node's version; V8 itself refuses data made under other flags.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { threadId } from 'node:worker_threads';

/**
 * V8 flags every QLP process sets before compiling anything: code cached under other flags is
 * refused. Ruff's 10 MB of WebAssembly only get the baseline compiler (see tools/ruff.ts).
 */
const processV8Flags = ['--liftoff-only'];

/**
 * `import()` for code that runs from the cache. Node 20's V8 drops a script's dynamic-import
 * options when it deserializes cached code, so an `import()` inside a bundle loaded warm fails
 * with "A dynamic import callback was not specified", whatever `importModuleDynamically` says
 * (the first, cold, run works). This function is compiled by Node's own loader with this module,
 * so its `import()` always works: hand it to bundled code that must import files at run time.
 */
export const importOutsideCache = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<{ default?: unknown }>;

export interface LoadedBundle<T> {
  exports: T;
  /** True when compiled code came from the cache. */
  fromCache: boolean;
  /** Writes the compiled code (all functions run so far) when the cache lacked it; never throws. */
  save(): void;
}

function cacheFile(file: string, cacheDir: string): string {
  const { size, mtimeMs } = statSync(file);
  const key = createHash('sha256').update(`${file}\0${size}\0${mtimeMs}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 16);
  return join(cacheDir, `${basename(file, '.js')}-${key}.v8cache`);
}

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** The bundle's text; pure ASCII (what esbuild writes) is read as Latin-1, ten times faster than UTF-8 decoding. */
function sourceOf(file: string): string {
  const bytes = readFileSync(file);
  return (isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')).replace(/^#!.*/, '');
}

/**
 * Runs `file` as a CommonJS module (like `require`), its compiled code from `cacheDir` when there.
 * `QLP_CODE_CACHE=off` compiles from source and writes nothing.
 */
export function loadBundle<T>(file: string, cacheDir: string): LoadedBundle<T> {
  for (const flag of processV8Flags) v8.setFlagsFromString(flag);
  const enabled = process.env.QLP_CODE_CACHE !== 'off';
  const cachePath = cacheFile(file, cacheDir);
  const cachedData = enabled ? readOptional(cachePath) : undefined;
  const script = new vm.Script(Module.wrap(sourceOf(file)), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = new Module(file, require.main);
  module.filename = file;
  const moduleRequire = Module.createRequire(file);
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, moduleRequire, module, file, dirname(file));
  module.loaded = true;
  let saved = fromCache || !enabled;
  return {
    exports: module.exports as T,
    fromCache,
    save() {
      if (saved) return;
      saved = true;
      // Written beside and renamed: another process never reads half a file.
      const temp = `${cachePath}.${process.pid}-${threadId}.tmp`;
      try {
        mkdirSync(cacheDir, { recursive: true });
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cachePath);
        // Code of earlier builds of this bundle is of no further use.
        const prefix = `${basename(file, '.js')}-`;
        for (const name of readdirSync(cacheDir)) {
          if (name.startsWith(prefix) && name.endsWith('.v8cache') && join(cacheDir, name) !== cachePath) rmSync(join(cacheDir, name), { force: true });
        }
      } catch {
        // No cache this time (a read-only or missing folder); the bundle runs all the same.
        try {
          rmSync(temp, { force: true });
        } catch {
          // nothing was written
        }
      }
    },
  };
}
