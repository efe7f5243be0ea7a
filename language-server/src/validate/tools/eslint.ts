// The one adapter over ESLint: lints text in memory (`ESLint#lintText`, flat config), with the
// project's own eslint.config.* when it has one and the folder is trusted, else QLP's defaults
// (eslintConfig.ts). QLP's security rules always run: with its defaults in the same pass, after a
// project's config in a second one. One ESLint instance per config array, so each config is
// normalized only once.
import { statSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { toolFailedCode, type FindingFix } from '../../../../protocol/validate';
import { lineStarts, relPath, spanOf } from '../findings';
import type { SourceFile, StageFinding } from '../model';
import { findUp, isModulePackage } from '../projectFiles';
import { untrustedEslintConfigNote } from '../trust';
import { defaultCombinedConfig, defaultLintConfig, securityConfig, securityRuleIds, type Config, type FileEnvironment } from './eslintConfig';

export { securityRuleIds };

const configNames = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];

/** Loads an ES module or CommonJS file by URL, as `import()` does. */
export type ImportModule = (url: string) => Promise<{ default?: unknown }>;

/**
 * `import()` that a bundler leaves alone, so a project's config loads from its own folder. It
 * works only where this module was compiled by Node's own loader: code run from the code cache
 * cannot `import()` (see codeCache.ts), so the toolbox hands the runner its loader's import.
 */
const importHere = new Function('url', 'return import(url)') as ImportModule;

interface ProjectConfig {
  mtime: number;
  config?: Config[];
  /** Why the project's config could not be used. */
  problem?: string;
}

export interface EslintPassResult {
  findings: StageFinding[];
  /** Findings about config files (a project config that failed to load). */
  configFindings: StageFinding[];
  /** What the pass held back: a project config left unloaded in an untrusted folder. */
  note?: string;
}

export interface EslintPasses {
  lint: boolean;
  security: boolean;
  /** The folder is trusted: its eslint.config.* (and the plugins it imports) may be loaded. */
  projectConfig: boolean;
}

const frontendHints = /(^|\/)(public|static|client|frontend|web|www|components|pages|app)\//;

export class EslintRunner {
  private readonly engines = new WeakMap<Config[], Map<string, ESLint>>();
  private readonly projectConfigs = new Map<string, ProjectConfig>();

  constructor(private readonly importModule: ImportModule = importHere) {}

  private engine(cwd: string, config: Config[]): ESLint {
    let byCwd = this.engines.get(config);
    if (!byCwd) this.engines.set(config, (byCwd = new Map()));
    let engine = byCwd.get(cwd);
    if (!engine) {
      engine = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: config, warnIgnored: false, errorOnUnmatchedPattern: false });
      byCwd.set(cwd, engine);
    }
    return engine;
  }

  private environment(root: string, file: SourceFile): FileEnvironment {
    const ext = extname(file.path).toLowerCase();
    const esmSyntax = /^\s*(import\s|import\{|export\s)/m.test(file.text);
    const sourceType =
      ext === '.cjs'
        ? 'commonjs'
        : ext === '.mjs' || file.language === 'typescript' || esmSyntax || isModulePackage(dirname(file.absPath), root)
          ? 'module'
          : 'commonjs';
    const browser = /\.(jsx|tsx)$/.test(ext) || frontendHints.test(file.path);
    return { sourceType, browser };
  }

  /** The project's config file for a file: the nearest eslint.config.* up to the root. */
  private configFile(root: string, file: SourceFile): string | undefined {
    return findUp(configNames, dirname(file.absPath), root);
  }

  /** The project's flat config for a file, loaded once per change of the config file. */
  private async projectConfig(root: string, file: SourceFile): Promise<{ path: string; entry: ProjectConfig } | undefined> {
    const path = this.configFile(root, file);
    if (!path) return undefined;
    const mtime = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const cached = this.projectConfigs.get(path);
    if (cached && cached.mtime === mtime) return { path, entry: cached };
    let entry: ProjectConfig;
    if (/\.[mc]?ts$/.test(path)) {
      entry = { mtime, problem: 'ESLint configs written in TypeScript are not loaded; QLP used its default rules.' };
    } else {
      try {
        const loaded = await this.importModule(`${pathToFileURL(path).href}?mtime=${mtime}`);
        const value = await (loaded.default ?? loaded);
        const config = (Array.isArray(value) ? value.flat(Infinity) : [value]) as Config[];
        if (!config.every((c) => c && typeof c === 'object')) throw new Error('it does not export a config object or array');
        entry = { mtime, config };
      } catch (err) {
        const why = (err as Error).message.split('\n')[0];
        entry = { mtime, problem: `The project's ESLint config could not be loaded (${why}); QLP used its default rules.` };
      }
    }
    this.projectConfigs.set(path, entry);
    return { path, entry };
  }

  /** Lints files with the lint and/or security rules. */
  async run(root: string, files: SourceFile[], passes: EslintPasses, between: () => Promise<void>): Promise<EslintPassResult> {
    const findings: StageFinding[] = [];
    const configFindings = new Map<string, StageFinding>();
    let heldBack = false;
    for (const file of files) {
      const env = this.environment(root, file);
      const configs: Array<{ config: Config[]; security: boolean }> = [];
      // An untrusted folder's config is never imported: importing it runs its code.
      if (passes.lint && !passes.projectConfig && this.configFile(root, file)) heldBack = true;
      const project = passes.lint && passes.projectConfig ? await this.projectConfig(root, file) : undefined;
      if (project?.entry.problem) configFindings.set(project.path, configFinding(root, project.path, project.entry.problem));
      if (passes.lint && passes.security && !project?.entry.config) {
        // QLP's own rules for both stages: one parse of the file; rule ids tell the stages apart.
        configs.push({ config: defaultCombinedConfig(env), security: false });
      } else {
        if (passes.lint) configs.push({ config: project?.entry.config ?? defaultLintConfig(env), security: false });
        if (passes.security) configs.push({ config: securityConfig(env), security: true });
      }
      const starts = lineStarts(file.text);
      for (const { config, security } of configs) {
        let messages: Linter.LintMessage[];
        try {
          messages = (await this.engine(root, config).lintText(file.text, { filePath: file.absPath })).flatMap((r) => r.messages);
        } catch (err) {
          findings.push(failureFinding(file.path, (err as Error).message.split('\n')[0], security));
          continue;
        }
        for (const m of messages) {
          const finding = toFinding(file, starts, m, security);
          if (finding) findings.push(finding);
        }
      }
      await between();
    }
    return { findings, configFindings: [...configFindings.values()], ...(heldBack ? { note: untrustedEslintConfigNote } : {}) };
  }
}

function configFinding(root: string, path: string, message: string): StageFinding {
  return { file: relPath(root, path), line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'warning', code: 'config', source: 'eslint', message };
}

/** ESLint (or a plugin's rule) threw on this file: an error, since the file was not checked. */
function failureFinding(file: string, why: string, security: boolean): StageFinding {
  const stage = security ? 'security' : 'lint';
  return {
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    severity: 'error',
    code: toolFailedCode,
    source: 'eslint',
    stage,
    message: `ESLint failed, so ${stage} was not checked in this file: ${why}`,
  };
}

function toFinding(file: SourceFile, starts: number[], m: Linter.LintMessage, securityPass: boolean): StageFinding | undefined {
  // Files a project config ignores or does not cover come back as a single note: nothing to report.
  if (!m.ruleId && /No matching configuration|File ignored/.test(m.message)) return undefined;
  const line = m.line || 1;
  const column = m.column || 1;
  const fix: FindingFix | undefined = m.fix
    ? { title: `Fix this ${m.ruleId ?? 'ESLint'} problem`, edits: [{ ...spanOf(starts, m.fix.range[0], m.fix.range[1]), newText: m.fix.text }] }
    : undefined;
  const stage = m.fatal ? 'syntax' : securityPass || (m.ruleId && securityRuleIds.has(m.ruleId)) ? 'security' : 'lint';
  return {
    file: file.path,
    line,
    column,
    endLine: m.endLine ?? line,
    endColumn: m.endColumn ?? column,
    severity: m.severity === 2 ? 'error' : 'warning',
    code: m.ruleId ?? undefined,
    source: 'eslint',
    stage,
    message: m.message,
    ...(fix ? { fix } : {}),
  };
}
