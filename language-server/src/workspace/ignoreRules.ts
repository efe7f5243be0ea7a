// The one adapter over `ignore`: .gitignore rules with git's precedence (a deeper .gitignore
// overrides a shallower one; a negation re-includes a file).
import ignore, { type Ignore } from 'ignore';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

interface Layer {
  dir: string;
  rules: Ignore;
}

export class IgnoreRules {
  private constructor(private readonly layers: readonly Layer[]) {}

  static empty(): IgnoreRules {
    return new IgnoreRules([]);
  }

  /**
   * The rules that apply inside `folder` from the .gitignore files above it, up to the root of
   * the git repository that holds it (none when it is not inside one).
   */
  static async above(folder: string): Promise<IgnoreRules> {
    if (await exists(join(folder, '.git'))) return IgnoreRules.empty();
    const chain: string[] = [];
    for (let dir = dirname(folder); ; dir = dirname(dir)) {
      chain.unshift(dir);
      if (await exists(join(dir, '.git'))) break;
      if (dirname(dir) === dir) return IgnoreRules.empty();
    }
    let rules = IgnoreRules.empty();
    for (const dir of chain) rules = await rules.withFolder(dir);
    return rules;
  }

  /** These rules plus the .gitignore of `dir`, if it has one. */
  async withFolder(dir: string): Promise<IgnoreRules> {
    const text = await readFile(join(dir, '.gitignore'), 'utf8').catch(() => undefined);
    if (text === undefined) return this;
    return new IgnoreRules([...this.layers, { dir, rules: ignore().add(text) }]);
  }

  /** These rules plus gitignore-style `patterns` that apply under `dir` (settings' exclusions). */
  withPatterns(dir: string, patterns: readonly string[]): IgnoreRules {
    if (patterns.length === 0) return this;
    return new IgnoreRules([...this.layers, { dir, rules: ignore().add([...patterns]) }]);
  }

  /** Whether git would ignore the file or folder at the absolute `path`. */
  ignores(path: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const layer of this.layers) {
      const rel = relative(layer.dir, path).split(sep).join('/');
      if (!rel || rel.startsWith('..')) continue;
      const result = layer.rules.test(isDirectory ? `${rel}/` : rel);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
