// The tools a validation run uses, created on first use and kept warm between runs
// (TypeScript projects, ESLint configs, Ruff workspaces).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../common/cacheRoot';
import { importOutsideCache, loadBundle, type LoadedBundle } from '../common/codeCache';
import type * as Tools from './tools/all';

/** Where the tools are when bundled: beside the worker's bundle. */
const toolsBundle = join(__dirname, 'validateTools.js');

/** Required at run time only when unbundled (tests run the sources); a bundler leaves it alone. */
const requireAtRunTime = require;

export class Toolbox {
  private loaded?: LoadedBundle<typeof Tools>;
  private ts?: Tools.TypeScriptChecker;
  private eslintRunner?: Tools.EslintRunner;
  private ruffRunner?: Tools.RuffRunner;

  /** The adapters' module, loaded on first use (through the code cache when bundled). */
  private get tools(): typeof Tools {
    if (!existsSync(toolsBundle)) return requireAtRunTime('./tools/all') as typeof Tools;
    this.loaded ??= loadBundle<typeof Tools>(toolsBundle, join(cacheRoot(), 'code'));
    return this.loaded.exports;
  }

  get typescript(): Tools.TypeScriptChecker {
    this.ts ??= new this.tools.TypeScriptChecker();
    return this.ts;
  }

  get eslint(): Tools.EslintRunner {
    // A project's eslint.config.* is imported through the worker's own loader: the tools' bundle
    // runs from the code cache, where `import()` fails.
    this.eslintRunner ??= new this.tools.EslintRunner(importOutsideCache);
    return this.eslintRunner;
  }

  get ruff(): Tools.RuffRunner {
    this.ruffRunner ??= new this.tools.RuffRunner();
    return this.ruffRunner;
  }

  /** Caches the compiled code of the tools used so far, once (call after they have done real work). */
  saveCompiledCode(): void {
    this.loaded?.save();
  }
}
