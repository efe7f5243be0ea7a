// The one adapter over the TypeScript compiler: parse errors of TS/JS files, and type errors
// through a persistent LanguageService per tsconfig.json, so re-checks after an edit are
// incremental (unchanged files keep their parsed and bound source files).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { FindingSeverity } from '../../../../protocol/validate';
import { relPath } from '../findings';
import type { StageFinding } from '../model';
import { dependenciesMissing } from '../projectFiles';

/** Where lib.*.d.ts live: beside the bundle when bundled, else in the typescript package. */
const libDir = existsSync(join(__dirname, 'typescript-lib')) ? join(__dirname, 'typescript-lib') : dirname(ts.getDefaultLibFilePath({}));

/**
 * JSDoc in .ts files matters only to the editor's hovers, not to type errors: like `tsc`, skip
 * parsing it (lib.dom.d.ts alone carries megabytes), a fifth of a cold type check.
 */
const jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;

/** Defaults for TypeScript files that no tsconfig.json includes: `tsc`'s own, with a modern target. */
const inferredOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  allowJs: false,
  jsx: ts.JsxEmit.ReactJSX,
  noEmit: true,
};

function scriptKindOf(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/i.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function severityOf(category: ts.DiagnosticCategory): FindingSeverity {
  if (category === ts.DiagnosticCategory.Error) return 'error';
  if (category === ts.DiagnosticCategory.Warning) return 'warning';
  return 'info';
}

/** Errors about packages that are declared but not installed (no node_modules yet). */
const missingPackageCodes = new Set([2307, 2792, 7016, 2580, 2591, 2582, 2593, 2688, 2503]);

function toFinding(root: string, d: ts.Diagnostic, depsMissing: boolean, fallbackFile?: string): StageFinding | undefined {
  const file = d.file ? relPath(root, d.file.fileName) : fallbackFile;
  if (!file || file.startsWith('..')) return undefined;
  let message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  let severity = severityOf(d.category);
  if (depsMissing && missingPackageCodes.has(d.code) && !/module '[./]/.test(message)) {
    severity = 'warning';
    message += " (The project's dependencies are not installed; run npm install.)";
  }
  const start = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
  const end = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start + (d.length ?? 0)) : start;
  return {
    file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity,
    code: `TS${d.code}`,
    source: 'typescript',
    message,
  };
}

/** Parse errors of one TypeScript or JavaScript file (grammar checks included, no types). */
export function syntaxFindings(root: string, absPath: string, text: string): StageFinding[] {
  const source = ts.createSourceFile(absPath, text, ts.ScriptTarget.Latest, true, scriptKindOf(absPath));
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === absPath ? source : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => root,
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === absPath,
    readFile: () => undefined,
  };
  const program = ts.createProgram({
    rootNames: [absPath],
    options: { noLib: true, noResolve: true, allowJs: true, jsx: ts.JsxEmit.Preserve, types: [] },
    host,
  });
  return program.getSyntacticDiagnostics(source).flatMap((d) => toFinding(root, d, false) ?? []);
}

interface Snapshot {
  version: string;
  snapshot: ts.IScriptSnapshot;
}

/** One TypeScript project (a tsconfig.json, or the inferred defaults) behind a LanguageService. */
class TsProject {
  private parsed: ts.ParsedCommandLine;
  private configMtime = 0;
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly service: ts.LanguageService;
  /** Files open in the editor that the config does not list, checked with the project's options. */
  private readonly extraFiles = new Set<string>();
  overlays: ReadonlyMap<string, string> = new Map();

  constructor(
    readonly root: string,
    readonly configPath: string | undefined,
    readonly dir: string,
    registry: ts.DocumentRegistry,
  ) {
    this.parsed = this.parse();
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => ({ ...this.parsed.options, noEmit: true }),
      getScriptFileNames: () => [...this.parsed.fileNames, ...this.extraFiles],
      getProjectReferences: () => this.parsed.projectReferences,
      getScriptVersion: (name) => this.snapshot(name)?.version ?? '',
      getScriptSnapshot: (name) => this.snapshot(name)?.snapshot,
      getScriptKind: (name) => scriptKindOf(name),
      getCurrentDirectory: () => this.dir,
      getDefaultLibFileName: (options) => join(libDir, ts.getDefaultLibFileName(options)),
      fileExists: (name) => this.overlays.has(name) || ts.sys.fileExists(name),
      readFile: (name) => this.overlays.get(name) ?? ts.sys.readFile(name),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      jsDocParsingMode,
    };
    this.service = ts.createLanguageService(host, registry);
  }

  /** The config's problems (unknown options, unreadable JSON) as findings on the config file. */
  configFindings(): StageFinding[] {
    if (!this.configPath) return [];
    const fallback = relPath(this.root, this.configPath);
    return this.parsed.errors.filter((d) => d.code !== 18003).flatMap((d) => toFinding(this.root, d, false, fallback) ?? []);
  }

  /** Re-reads the tsconfig.json when it changed on disk. */
  refresh(): void {
    if (!this.configPath) return;
    const mtime = statSync(this.configPath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (mtime !== this.configMtime) this.parsed = this.parse();
  }

  get options(): ts.CompilerOptions {
    return this.parsed.options;
  }

  includes(absPath: string): boolean {
    return this.parsed.fileNames.includes(absPath) || this.extraFiles.has(absPath);
  }

  adopt(absPath: string): void {
    this.extraFiles.add(absPath);
  }

  /** Syntax and type errors of one file; semantic errors only when the file parses. */
  check(absPath: string): StageFinding[] {
    const depsMissing = dependenciesMissing(this.dir, this.root);
    const syntactic = this.service.getSyntacticDiagnostics(absPath);
    if (syntactic.length) return [];
    return this.service.getSemanticDiagnostics(absPath).flatMap((d) => toFinding(this.root, d, depsMissing) ?? []);
  }

  private parse(): ts.ParsedCommandLine {
    if (!this.configPath) return { options: inferredOptions, fileNames: [], errors: [] };
    this.configMtime = statSync(this.configPath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const read = ts.readConfigFile(this.configPath, ts.sys.readFile);
    if (read.error) return { options: inferredOptions, fileNames: [], errors: [read.error] };
    return ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(this.configPath), { noEmit: true }, this.configPath);
  }

  private snapshot(name: string): Snapshot | undefined {
    const overlay = this.overlays.get(name);
    const version =
      overlay !== undefined ? `o${hash(overlay)}` : name.startsWith(libDir) ? 'lib' : `d${statSync(name, { throwIfNoEntry: false })?.mtimeMs ?? 'none'}`;
    const cached = this.snapshots.get(name);
    if (cached?.version === version) return cached;
    const text = overlay ?? (version === 'dnone' ? undefined : safeRead(name));
    if (text === undefined) return undefined;
    const entry = { version, snapshot: ts.ScriptSnapshot.fromString(text) };
    this.snapshots.set(name, entry);
    return entry;
  }
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return `${text.length}:${h >>> 0}`;
}

/** The TypeScript projects of a workspace, kept warm between runs. */
export class TypeScriptChecker {
  private readonly registry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, undefined, jsDocParsingMode);
  private readonly projects = new Map<string, TsProject>();

  syntax(root: string, absPath: string, text: string): StageFinding[] {
    return syntaxFindings(root, absPath, text);
  }

  /** The nearest tsconfig.json from the file's folder up to the root. */
  private configFor(root: string, absPath: string): string | undefined {
    for (let dir = dirname(absPath); dir.startsWith(root); dir = dirname(dir)) {
      const candidate = join(dir, 'tsconfig.json');
      if (existsSync(candidate)) return candidate;
      if (dir === root || dir === dirname(dir)) break;
    }
    return undefined;
  }

  private project(root: string, configPath: string | undefined, dir: string): TsProject {
    const key = configPath ?? `inferred:${dir}`;
    let project = this.projects.get(key);
    if (!project || project.root !== root) {
      project = new TsProject(root, configPath, dir, this.registry);
      this.projects.set(key, project);
    }
    return project;
  }

  /** The project that checks a file: its tsconfig.json's (or a referenced one's), else inferred. */
  projectOf(root: string, absPath: string): TsProject {
    const configPath = this.configFor(root, absPath);
    if (configPath) {
      const project = this.project(root, configPath, dirname(configPath));
      project.refresh();
      if (project.includes(absPath)) return project;
    }
    const inferred = this.project(root, undefined, root);
    inferred.adopt(absPath);
    return inferred;
  }

  /** Type-checks the given files, `overlays` standing in for their text on disk. */
  async check(root: string, absPaths: string[], overlays: ReadonlyMap<string, string>, between: () => Promise<void>): Promise<StageFinding[]> {
    const findings: StageFinding[] = [];
    const seenConfigs = new Set<TsProject>();
    for (const absPath of absPaths) {
      const project = this.projectOf(root, absPath);
      project.overlays = overlays;
      if (!seenConfigs.has(project)) {
        seenConfigs.add(project);
        findings.push(...project.configFindings());
      }
      findings.push(...project.check(absPath));
      await between();
    }
    return findings;
  }

  /** Whether a JavaScript file is type-checked (its project sets checkJs, or it has // @ts-check). */
  checksJs(root: string, absPath: string, text: string): boolean {
    if (/^\s*\/\/\s*@ts-check\b/m.test(text.slice(0, 2000))) return true;
    const configPath = this.configFor(root, absPath);
    if (!configPath) return false;
    const project = this.project(root, configPath, dirname(configPath));
    project.refresh();
    return project.includes(absPath) && project.options.checkJs === true;
  }
}
