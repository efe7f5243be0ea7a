// Which test files import a module, directly or through others: the static import graph of the
// project's JavaScript and TypeScript files (import, export from, require and import() with a
// literal path, as TypeScript's preprocessor finds them).
import { posix } from 'node:path';
import ts from 'typescript';

const extensions = ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx', '.jsx', '/index.js', '/index.mjs', '/index.cjs', '/index.ts', '/index.tsx'];

/** The project file a relative specifier names, if any (`./a.js` may be `./a.ts` in TypeScript's ESM style). */
function resolve(from: string, specifier: string, has: (path: string) => boolean): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stems = [base, base.replace(/\.([cm]?)js$/, '.$1ts'), base.replace(/\.jsx$/, '.tsx')];
  for (const stem of stems) for (const ext of extensions) if (has(stem + ext)) return stem + ext;
  return undefined;
}

/** For each test file, every project file it reaches through imports (itself included). */
export function testReach(files: ReadonlyMap<string, string>, tests: readonly string[]): Map<string, Set<string>> {
  const has = (p: string) => files.has(p);
  const edges = new Map<string, string[]>();
  const importsOf = (file: string): string[] => {
    let known = edges.get(file);
    if (!known) {
      const info = ts.preProcessFile(files.get(file) ?? '', true, true);
      known = info.importedFiles.map((f) => resolve(file, f.fileName, has)).filter((p): p is string => !!p);
      edges.set(file, known);
    }
    return known;
  };
  const reach = new Map<string, Set<string>>();
  for (const test of tests) {
    const seen = new Set<string>();
    const todo = [test];
    while (todo.length) {
      const file = todo.pop()!;
      if (seen.has(file) || !files.has(file)) continue;
      seen.add(file);
      todo.push(...importsOf(file));
    }
    reach.set(test, seen);
  }
  return reach;
}

/** The test files that reach `file`; all of them when none does (it may be loaded some other way). */
export function testsFor(file: string, reach: ReadonlyMap<string, Set<string>>): string[] {
  const mine = [...reach].filter(([, files]) => files.has(file)).map(([test]) => test);
  return mine.length ? mine : [...reach.keys()];
}
