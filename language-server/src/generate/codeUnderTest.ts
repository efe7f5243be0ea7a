// The code under test: the project's code files the tests import, directly or through other code
// files. Mutants are made only there (an entry point no test loads cannot be judged by the tests).
import { posix } from 'node:path';
import { languageOf, readImports } from './testStatics';

/** The project file a module specifier names, when it is one of `files`. */
function resolveSpecifier(from: string, specifier: string, files: ReadonlySet<string>): string[] {
  if (languageOf(from) === 'python') {
    const dots = /^\.*/.exec(specifier)![0].length;
    const rest = specifier.slice(dots).split('.').filter(Boolean);
    // `.x` is beside the importing file, `..x` one package up, and so on.
    const folder = posix
      .dirname(from)
      .split('/')
      .filter((s) => s !== '.');
    const base = folder.slice(0, Math.max(0, folder.length - (dots - 1)));
    const candidates = [];
    // A module, or a package's __init__.py; absolute imports are also tried from a src/ layout.
    for (const root of dots ? [base] : [[], ['src']]) {
      const parts = [...root, ...rest];
      if (!parts.length) continue;
      candidates.push(`${parts.join('/')}.py`, `${parts.join('/')}/__init__.py`);
    }
    return candidates.filter((c) => files.has(c));
  }
  if (!specifier.startsWith('.')) return [];
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = target.replace(/\.[cm]?[jt]sx?$/, '');
  const candidates = [target, ...['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'].flatMap((ext) => [`${stem}${ext}`, `${target}/index${ext}`])];
  return candidates.filter((c) => files.has(c));
}

/** Code files reached from the test files by imports, in a stable order. */
export async function codeUnderTest(testFiles: ReadonlyMap<string, string>, codeFiles: ReadonlyMap<string, string>): Promise<string[]> {
  const code = new Set(codeFiles.keys());
  const reached = new Set<string>();
  const queue: Array<[string, string]> = [...testFiles];
  while (queue.length) {
    const [path, content] = queue.shift()!;
    for (const specifier of await readImports(path, content)) {
      for (const file of resolveSpecifier(path, specifier, code)) {
        if (reached.has(file)) continue;
        reached.add(file);
        queue.push([file, codeFiles.get(file)!]);
      }
    }
  }
  return [...reached].filter((p) => languageOf(p) !== undefined).sort();
}
