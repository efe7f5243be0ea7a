// Whether the ESLint extension can lint a file: it runs the project's own ESLint (resolved from
// the file's folder up, as Node does) with the project's config; without both it reports nothing,
// and QLP's own ESLint findings are then the only ones.
import { dirname } from 'node:path';
import { findUp, readPackageJson } from './projectFiles';

const configNames = [
  'eslint.config.js',
  'eslint.config.mjs',
  'eslint.config.cjs',
  'eslint.config.ts',
  'eslint.config.mts',
  'eslint.config.cts',
  '.eslintrc.js',
  '.eslintrc.cjs',
  '.eslintrc.yaml',
  '.eslintrc.yml',
  '.eslintrc.json',
  '.eslintrc',
];

const hasEslintConfigKey = (path: string) => readPackageJson(path) !== undefined && 'eslintConfig' in (readPackageJson(path) as object);

export function eslintSetUpFor(absPath: string): boolean {
  const dir = dirname(absPath);
  if (!findUp(['node_modules/eslint/package.json'], dir, '/')) return false;
  return !!(findUp(configNames, dir, '/') ?? findUp(['package.json'], dir, '/', hasEslintConfigKey));
}
