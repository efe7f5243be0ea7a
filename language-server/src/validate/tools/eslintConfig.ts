// QLP's default ESLint setup (flat config): @eslint/js recommended + typescript-eslint
// recommended for lint, their style and suggestion rules as warnings; eslint-plugin-security
// recommended + @microsoft/eslint-plugin-sdl's required rules for security, as those plugins set
// them. Part of the ESLint adapter: only these two files import ESLint and its plugins.
import js from '@eslint/js';
import sdl from '@microsoft/eslint-plugin-sdl';
import type { Linter, Rule } from 'eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import security from 'eslint-plugin-security';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export type Config = Linter.Config;

/** How a JavaScript file is parsed and which globals it may use. */
export interface FileEnvironment {
  sourceType: 'module' | 'commonjs';
  browser: boolean;
}

const securityConfigs: Config[] = [security.configs.recommended as Config, ...(sdl.configs.required as Config[])];
const lintRules = new Set(Object.keys(js.configs.recommended.rules ?? {}));

/** Rules the security configs turn on that recommended lint does not: their findings belong to the security stage. */
export const securityRuleIds: ReadonlySet<string> = new Set(securityConfigs.flatMap((c) => Object.keys(c.rules ?? {})).filter((id) => !lintRules.has(id)));

const tsFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

function languageOptions(env: FileEnvironment): Config {
  return {
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: env.sourceType,
      globals: { ...globals.node, ...(env.browser ? globals.browser : {}), ...(env.sourceType === 'commonjs' ? globals.commonjs : {}) },
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
  };
}

/** TypeScript files always go through typescript-eslint's parser, in both passes. */
const typescriptParser: Config = { files: tsFiles, languageOptions: { parser: tseslint.parser as Linter.Parser, sourceType: 'module' } };

/** Plugins both passes know, so disable comments naming their rules resolve. */
const knownPlugins: Config = {
  plugins: { '@typescript-eslint': tseslint.plugin as never, security: security as never, '@microsoft/sdl': sdl as never },
};

const cache = new Map<string, Config[]>();

/** Config arrays are built once per kind and environment: ESLint caches its work per array. */
function cached(kind: string, env: FileEnvironment, build: () => Config[]): Config[] {
  const key = `${kind}:${env.sourceType}:${env.browser}`;
  let config = cache.get(key);
  if (!config) {
    config = build();
    cache.set(key, config);
  }
  return config;
}

/** A lint rule's metadata: ESLint's own rules and typescript-eslint's. */
function ruleMeta(id: string): Rule.RuleMetaData | undefined {
  const plugin = '@typescript-eslint/';
  if (id.startsWith(plugin))
    return (tseslint.plugin as unknown as { rules: Record<string, { meta?: Rule.RuleMetaData } | undefined> }).rules[id.slice(plugin.length)]?.meta;
  return builtinRules.get(id)?.meta;
}

/**
 * The recommended sets turn every rule on as an error; a rule whose own `meta.type` is not
 * `problem` (`suggestion`, `layout`: prefer-const, no-explicit-any) is a warning in QLP's defaults.
 */
function styleAsWarnings(config: Config): Config {
  if (!config.rules) return config;
  const rules = Object.fromEntries(
    Object.entries(config.rules).map(([id, entry]) => {
      const level = Array.isArray(entry) ? entry[0] : entry;
      if ((level !== 'error' && level !== 2) || ruleMeta(id)?.type === 'problem') return [id, entry];
      return [id, Array.isArray(entry) ? ['warn', ...entry.slice(1)] : 'warn'];
    }),
  ) as Config['rules'];
  return { ...config, rules };
}

const lintRuleConfigs = (): Config[] =>
  [
    js.configs.recommended as Config,
    // typescript-eslint's rules are for TypeScript: CommonJS `require` in a .js file is fine.
    ...(tseslint.configs.recommended as Config[]).map((c) => ({ ...c, files: c.files ?? tsFiles })),
  ].map(styleAsWarnings);

/** The lint pass: @eslint/js recommended + typescript-eslint recommended. */
export function defaultLintConfig(env: FileEnvironment): Config[] {
  return cached('lint', env, () => [languageOptions(env), knownPlugins, ...lintRuleConfigs(), typescriptParser]);
}

/** The security pass alone: eslint-plugin-security recommended + SDL's required rules. */
export function securityConfig(env: FileEnvironment): Config[] {
  return cached('security', env, () => [
    languageOptions(env),
    { plugins: { '@typescript-eslint': tseslint.plugin as never } },
    ...securityConfigs,
    typescriptParser,
    { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  ]);
}

/** Both passes in one, when the project has no ESLint config of its own. */
export function defaultCombinedConfig(env: FileEnvironment): Config[] {
  return cached('both', env, () => [languageOptions(env), knownPlugins, ...lintRuleConfigs(), ...securityConfigs, typescriptParser]);
}
