// The one adapter over Ruff (its WebAssembly build): Python syntax errors, lint rules and the
// flake8-bandit `S` security rules, with the project's ruff.toml / pyproject.toml settings.
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import v8 from 'node:v8';
import { parseToml } from './toml';
import type { FindingFix, FindingSeverity, StageId } from '../../../../protocol/validate';
import { lineStarts, relPath } from '../findings';
import type { SourceFile, StageFinding } from '../model';
import { findUp } from '../projectFiles';

// Ruff's module is 10 MB of WebAssembly. V8's baseline compiler alone makes the first check
// about half a second; its optimizing tier would spend seconds of CPU in background threads
// (delaying exit) to speed up checks that already take a millisecond or two.
v8.setFlagsFromString('--liftoff-only');

type RuffModule = typeof import('@astral-sh/ruff-wasm-nodejs');
type Workspace = InstanceType<RuffModule['Workspace']>;

interface RuffDiagnostic {
  code: string | null;
  message: string;
  start_location: { row: number; column: number };
  end_location: { row: number; column: number };
  fix: {
    message: string | null;
    edits: Array<{ content: string | null; location: { row: number; column: number }; end_location: { row: number; column: number } }>;
  } | null;
}

/** Ruff's defaults (E4, E7, E9, F) are what `lint` runs when a project says nothing. */
const defaultSelect = ['E4', 'E7', 'E9', 'F'];
/** flake8's "stop the build" set: syntax errors, undefined names, invalid comparisons and statements. */
const errorCodes = /^(E9|F63|F7|F82)/;

interface ProjectSettings {
  /** The config file, if any. */
  path?: string;
  mtime: number;
  options: Record<string, unknown>;
  problem?: string;
}

let ruffModule: RuffModule | undefined;
function ruff(): RuffModule {
  ruffModule ??= require('@astral-sh/ruff-wasm-nodejs') as RuffModule;
  return ruffModule;
}

/** Reads `[tool.ruff]` of a pyproject.toml or a whole ruff.toml into Ruff's options object. */
function readSettings(path: string): Record<string, unknown> | undefined {
  const toml = parseToml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  if (path.endsWith('pyproject.toml')) return ((toml.tool as Record<string, unknown> | undefined)?.ruff as Record<string, unknown> | undefined) ?? undefined;
  return toml;
}

function stageOf(code: string | null): StageId {
  if (!code || code === 'invalid-syntax' || code === 'E999') return 'syntax';
  return /^S\d/.test(code) ? 'security' : 'lint';
}

function severityOf(code: string | null): FindingSeverity {
  return stageOf(code) === 'syntax' || (code && errorCodes.test(code)) ? 'error' : 'warning';
}

export class RuffRunner {
  private readonly workspaces = new Map<string, Workspace>();
  private readonly settings = new Map<string, ProjectSettings>();

  /** The nearest Ruff config (ruff.toml, .ruff.toml, or a pyproject.toml with [tool.ruff]) for a file. */
  private settingsFor(root: string, absPath: string): ProjectSettings {
    const path = findUp(
      ['.ruff.toml', 'ruff.toml', 'pyproject.toml'],
      dirname(absPath),
      root,
      (candidate) => !candidate.endsWith('pyproject.toml') || /^\s*\[tool\.ruff[\].]/m.test(readFileSync(candidate, 'utf8')),
    );
    const key = path ?? '';
    const mtime = path ? statSync(path).mtimeMs : 0;
    const cached = this.settings.get(key);
    if (cached && cached.mtime === mtime) return cached;
    let entry: ProjectSettings = { path, mtime, options: {} };
    if (path) {
      try {
        const options = { ...readSettings(path) };
        delete options.extend; // another file: not readable from WebAssembly
        entry.options = options;
      } catch (err) {
        entry = {
          path,
          mtime,
          options: {},
          problem: `Ruff could not read ${relPath(root, path)} (${(err as Error).message.split('\n')[0]}); QLP used Ruff's defaults.`,
        };
      }
    }
    this.settings.set(key, entry);
    return entry;
  }

  private workspace(options: Record<string, unknown>): Workspace {
    const key = JSON.stringify(options);
    let ws = this.workspaces.get(key);
    if (!ws) {
      const { Workspace, PositionEncoding } = ruff();
      ws = new Workspace(options, PositionEncoding.Utf16);
      this.workspaces.set(key, ws);
    }
    return ws;
  }

  /** Options for the stages of this run: the project's rules for lint, plus `S` for security. */
  private optionsFor(settings: ProjectSettings, stages: { lint: boolean; security: boolean }): Record<string, unknown> {
    const top = { ...settings.options };
    const lintSection = { ...((top.lint as Record<string, unknown> | undefined) ?? {}) };
    // Older configs put rule selection at the top level; Ruff reads it under `lint`.
    for (const key of ['select', 'extend-select', 'ignore', 'per-file-ignores', 'extend-per-file-ignores']) {
      if (key in top && !(key in lintSection)) lintSection[key] = top[key];
      delete top[key];
    }
    const select = stages.lint ? ((lintSection.select as string[] | undefined) ?? defaultSelect) : [];
    const extendSelect = stages.lint ? ((lintSection['extend-select'] as string[] | undefined) ?? []) : [];
    return { ...top, lint: { ...lintSection, select: [...select, ...extendSelect, ...(stages.security ? ['S'] : [])], 'extend-select': [] } };
  }

  /** Checks Python files; each finding carries its stage (syntax, lint or security). */
  async run(
    root: string,
    files: SourceFile[],
    stages: { lint: boolean; security: boolean },
    between: () => Promise<void>,
  ): Promise<{ findings: StageFinding[]; configFindings: StageFinding[] }> {
    const findings: StageFinding[] = [];
    const configFindings = new Map<string, StageFinding>();
    for (const file of files) {
      const settings = this.settingsFor(root, file.absPath);
      let ws: Workspace;
      try {
        if (settings.problem) throw new Error(settings.problem);
        ws = this.workspace(this.optionsFor(settings, stages));
      } catch (err) {
        const message =
          settings.problem ??
          `Ruff rejected the settings in ${relPath(root, settings.path ?? '')} (${(err as Error).message.split('\n')[0]}); QLP used Ruff's defaults.`;
        if (settings.path)
          configFindings.set(settings.path, {
            file: relPath(root, settings.path),
            line: 1,
            column: 1,
            endLine: 1,
            endColumn: 1,
            severity: 'warning',
            code: 'config',
            source: 'ruff',
            message,
          });
        ws = this.workspace(this.optionsFor({ mtime: 0, options: {} }, stages));
      }
      const diagnostics = ws.check(file.text) as RuffDiagnostic[];
      const starts = lineStarts(file.text);
      for (const d of diagnostics) findings.push(toFinding(file, starts, d));
      await between();
    }
    return { findings, configFindings: [...configFindings.values()] };
  }
}

function toFinding(file: SourceFile, starts: number[], d: RuffDiagnostic): StageFinding {
  const fix: FindingFix | undefined = d.fix?.edits.length
    ? {
        title: d.fix.message ?? `Fix ${d.code}`,
        edits: d.fix.edits.map((e) => ({
          line: e.location.row,
          column: e.location.column,
          endLine: e.end_location.row,
          endColumn: e.end_location.column,
          newText: e.content ?? '',
        })),
      }
    : undefined;
  // Ruff may point one past the last line (an error at end of file): keep it on the text.
  const lastLine = starts.length;
  const line = Math.min(d.start_location.row, lastLine);
  return {
    file: file.path,
    line,
    column: d.start_location.row > lastLine ? 1 : d.start_location.column,
    endLine: Math.min(d.end_location.row, lastLine),
    endColumn: d.end_location.row > lastLine ? 1 : d.end_location.column,
    severity: severityOf(d.code),
    code: d.code && d.code !== 'invalid-syntax' ? d.code : 'invalid-syntax',
    source: 'ruff',
    stage: stageOf(d.code),
    message: d.message,
    ...(fix ? { fix } : {}),
  };
}
