// The tools a validation run uses, created on first use and kept warm between runs
// (TypeScript projects, ESLint configs, Ruff workspaces).
import type { EslintRunner } from './tools/eslint';
import type { RuffRunner } from './tools/ruff';
import type { TypeScriptChecker } from './tools/typescript';

export class Toolbox {
  private ts?: TypeScriptChecker;
  private eslintRunner?: EslintRunner;
  private ruffRunner?: RuffRunner;

  // Each tool module is required on first use, so a run that needs no ESLint never loads it.
  get typescript(): TypeScriptChecker {
    this.ts ??= new (require('./tools/typescript') as typeof import('./tools/typescript')).TypeScriptChecker();
    return this.ts;
  }

  get eslint(): EslintRunner {
    this.eslintRunner ??= new (require('./tools/eslint') as typeof import('./tools/eslint')).EslintRunner();
    return this.eslintRunner;
  }

  get ruff(): RuffRunner {
    this.ruffRunner ??= new (require('./tools/ruff') as typeof import('./tools/ruff')).RuffRunner();
    return this.ruffRunner;
  }
}
