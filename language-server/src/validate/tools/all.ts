// The heavy tool adapters in one module: bundled on their own as dist/validateTools.js (8 MB of
// TypeScript, ESLint and Ruff), which the worker loads on first use, after pyright has started.
export { EslintRunner } from './eslint';
export { RuffRunner } from './ruff';
export { TypeScriptChecker } from './typescript';
