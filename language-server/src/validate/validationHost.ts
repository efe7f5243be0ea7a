// Validation for an editor: open documents as you type (debounced; a new edit cancels the run
// it supersedes), on open and save (with the slow whole-project tools), and whole workspace
// folders on request. What another extension already shows is left to it (editorLinters.ts).
// Works with paths and findings; server.ts translates to LSP.
import { dirname, join, sep } from 'node:path';
import type { EditorLinter, FolderValidation, LeftToEditorTools } from '../../../protocol/lsp';
import { stageIds, type Finding, type StageId, type UnscoredStage, type ValidationReport } from '../../../protocol/validate';
import { languageIdOf, shownBy, typesLeftToEditor, type Deferral, type EditorFile } from './editorLinters';
import type { ValidateInput } from './pipeline';
import { validationSettings, type ValidationSettings } from './settings';
import { CancelledError } from '../common/cancellation';

export interface ValidationHostDeps {
  validate(input: ValidateInput, signal: AbortSignal, progress?: (message: string) => void): Promise<ValidationReport>;
  settings(): Promise<ValidationSettings>;
  /** Replaces the findings shown for a file (absolute path). */
  publish(absPath: string, findings: Finding[]): void;
  log(message: string): void;
}

/** Findings of tools that run only on open and save, kept while the file is being edited. */
const slowSources = new Set(['pyright']);

export class ValidationHost {
  private roots: string[] = [];
  private readonly docs = new Map<string, string>();
  /** VS Code's language id of each open document. */
  private readonly languageIds = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly runs = new Map<string, AbortController>();
  /** Everything QLP found for a file in its latest run, before leaving some to other extensions. */
  private readonly found = new Map<string, Finding[]>();
  /** What is shown for a file: `found` less what another extension shows. */
  private readonly shown = new Map<string, Finding[]>();
  /** Files whose findings came from a workspace validation (kept after their editor closes). */
  private readonly fromWorkspace = new Map<string, Finding[]>();

  /** The editor has its built-in TypeScript extension enabled (it reports open files' type errors). */
  private builtinTypeScript = false;
  /** Other extensions active in the editor that report some of the same problems. */
  private linters: EditorLinter[] = [];
  /** The settings last read (showing findings cannot wait for them). */
  private settingsNow: ValidationSettings = validationSettings(undefined);
  /** The user trusted the workspace; until the editor says so, nothing of it is executed. */
  private trusted = false;
  /** Stages the latest runs could not check (a tool failed, tests not run), with why. */
  private readonly unchecked = new Map<StageId, UnscoredStage>();

  constructor(private readonly deps: ValidationHostDeps) {}

  setBuiltinTypeScript(enabled: boolean): void {
    this.builtinTypeScript = enabled;
  }

  /** The other linters active in the editor changed: shown findings follow, open documents are checked again. */
  setEditorLinters(linters: EditorLinter[]): void {
    this.linters = linters;
    if (this.found.size === 0 && this.docs.size === 0) return; // at start-up: nothing shown yet
    this.reshow();
    this.revalidateOpen();
  }

  private async currentSettings(): Promise<ValidationSettings> {
    this.settingsNow = await this.deps.settings();
    return this.settingsNow;
  }

  private deferral(settings: ValidationSettings): Deferral {
    return { linters: settings.deferToExtensions ? this.linters : [], builtinTypeScript: this.builtinTypeScript && !settings.typesWithBuiltinTypeScript };
  }

  private editorFile(absPath: string): EditorFile {
    return { absPath, languageId: this.languageIds.get(absPath) ?? languageIdOf(absPath), open: this.docs.has(absPath) };
  }

  get workspaceTrusted(): boolean {
    return this.trusted;
  }

  /** Trust granted re-validates the open documents: the project's own config now applies. */
  setTrusted(trusted: boolean): void {
    if (trusted === this.trusted) return;
    this.trusted = trusted;
    this.revalidateOpen();
  }

  /** The stages the latest validations could not check, in stage order (for the Status view). */
  notChecked(): UnscoredStage[] {
    return [...this.unchecked.values()].sort((a, b) => stageIds.indexOf(a.stage) - stageIds.indexOf(b.stage));
  }

  /** Remembers which of a run's stages were left unchecked for a reason worth telling. */
  private noteUnchecked(report: ValidationReport): void {
    for (const { stage } of report.stages) {
      const entry = report.unscored.find((u) => u.stage === stage);
      if (entry && !entry.nothingToCheck) this.unchecked.set(stage, entry);
      else this.unchecked.delete(stage);
    }
  }

  /** The stages for an open document: never tests; no types where the editor's TypeScript or Pylance reports them all. */
  private documentStages(absPath: string, settings: ValidationSettings): StageId[] {
    const leaveTypes = typesLeftToEditor(this.editorFile(absPath), this.deferral(settings));
    return settings.stages.filter((s) => s !== 'tests' && !(leaveTypes && s === 'types'));
  }

  setRoots(roots: string[]): void {
    this.roots = [...roots].sort((a, b) => b.length - a.length);
  }

  /** The workspace folder holding a file (the innermost), else the file's own folder. */
  rootOf(absPath: string): string {
    return this.roots.find((root) => absPath === root || absPath.startsWith(root.endsWith(sep) ? root : root + sep)) ?? dirname(absPath);
  }

  /** `languageId` is VS Code's for the document (without it, the one its file name implies). */
  opened(absPath: string, text: string, languageId?: string): void {
    this.docs.set(absPath, text);
    if (languageId) this.languageIds.set(absPath, languageId);
    this.schedule(absPath, 0, true);
  }

  async changed(absPath: string, text: string): Promise<void> {
    this.docs.set(absPath, text);
    const settings = await this.currentSettings();
    if (settings.onType) this.schedule(absPath, settings.debounceMs, false);
  }

  /** A save re-checks every open file of the folder: types may have changed across files. */
  saved(absPath: string): void {
    const root = this.rootOf(absPath);
    for (const path of this.docs.keys()) if (this.rootOf(path) === root) this.schedule(path, 0, true);
  }

  closed(absPath: string): void {
    this.docs.delete(absPath);
    this.languageIds.delete(absPath);
    this.cancel(absPath);
    this.show(absPath, this.fromWorkspace.get(absPath) ?? []);
  }

  /** The findings shown for a file now. */
  findingsOf(absPath: string): Finding[] {
    return this.shown.get(absPath) ?? [];
  }

  /** Re-validates every open document (after a settings change). */
  revalidateOpen(): void {
    for (const path of this.docs.keys()) this.schedule(path, 0, true);
  }

  /** Settings or linters changed: files not open show their findings again under the new rules. */
  private reshow(): void {
    void this.currentSettings().then(() => {
      for (const [path, findings] of this.found) if (!this.docs.has(path)) this.show(path, findings);
    });
  }

  /** Settings changed: shown findings follow, and the open documents are validated again. */
  settingsChanged(): void {
    this.reshow();
    this.revalidateOpen();
  }

  private cancel(absPath: string): void {
    clearTimeout(this.timers.get(absPath));
    this.timers.delete(absPath);
    this.runs.get(absPath)?.abort();
    this.runs.delete(absPath);
  }

  private schedule(absPath: string, delayMs: number, thorough: boolean): void {
    this.cancel(absPath);
    this.timers.set(
      absPath,
      setTimeout(() => void this.runDocument(absPath, thorough), delayMs),
    );
  }

  private overlays(): Map<string, string> {
    return new Map(this.docs);
  }

  private async runDocument(absPath: string, thorough: boolean): Promise<void> {
    this.timers.delete(absPath);
    const settings = await this.currentSettings();
    if (!settings.enabled) return this.show(absPath, []);
    const controller = new AbortController();
    this.runs.set(absPath, controller);
    const root = this.rootOf(absPath);
    try {
      const report = await this.deps.validate(
        {
          root,
          only: [absPath],
          overlays: this.overlays(),
          stages: this.documentStages(absPath, settings),
          languages: settings.languages,
          thorough,
          maxFileBytes: settings.maxFileBytes,
          trusted: this.trusted,
        },
        controller.signal,
      );
      if (controller.signal.aborted || !this.docs.has(absPath)) return;
      this.noteUnchecked(report);
      const kept = thorough ? [] : (this.found.get(absPath) ?? []).filter((f) => slowSources.has(f.source));
      this.show(absPath, [...report.diagnostics, ...kept]);
    } catch (err) {
      if (!(err instanceof CancelledError) && !controller.signal.aborted) this.deps.log(`Validating ${absPath} failed: ${(err as Error).message}`);
    } finally {
      if (this.runs.get(absPath) === controller) this.runs.delete(absPath);
    }
  }

  /** Shows a file's findings, less those another extension shows (see editorLinters.ts). */
  private show(absPath: string, findings: Finding[]): void {
    this.found.set(absPath, findings);
    if (findings.length === 0) this.found.delete(absPath);
    const file = this.editorFile(absPath);
    const deferral = this.deferral(this.settingsNow);
    const visible = findings.filter((f) => !shownBy(f, file, deferral));
    this.shown.set(absPath, visible);
    this.deps.publish(absPath, visible);
  }

  /** Validates each workspace folder and shows every file's findings (clearing files now clean). */
  async validateWorkspace(stages: StageId[] | undefined, signal: AbortSignal, progress: (message: string) => void): Promise<FolderValidation[]> {
    const settings = await this.currentSettings();
    const results: FolderValidation[] = [];
    for (const root of [...this.roots].sort()) {
      const report = await this.deps.validate(
        {
          root,
          overlays: this.overlays(),
          stages: stages ?? settings.stages,
          languages: settings.languages,
          thorough: true,
          maxFileBytes: settings.maxFileBytes,
          trusted: this.trusted,
        },
        signal,
        (message) => progress(this.roots.length > 1 ? `${root}: ${message}` : message),
      );
      this.noteUnchecked(report);
      const byFile = new Map<string, Finding[]>();
      const shown: Finding[] = [];
      for (const f of report.diagnostics) {
        const path = join(root, ...f.file.split('/'));
        // A file of a workspace folder nested in this one is shown (and counted) by that folder's own run.
        const owner = this.rootOf(path);
        if (owner !== root && this.roots.includes(owner)) continue;
        byFile.set(path, [...(byFile.get(path) ?? []), f]);
        shown.push(f);
      }
      for (const path of this.fromWorkspace.keys()) if (this.rootOf(path) === root && !byFile.has(path)) byFile.set(path, []);
      const left: LeftToEditorTools = { errors: 0, warnings: 0, infos: 0, extensions: [] };
      for (const [path, findings] of byFile) {
        if (findings.length) this.fromWorkspace.set(path, findings);
        else this.fromWorkspace.delete(path);
        this.show(path, findings);
        countLeftOut(left, findings, this.editorFile(path), this.deferral(settings));
      }
      // The counts of what the Problems panel shows for this folder: QLP's findings, and those
      // another extension shows instead (also in `leftToEditor`).
      const count = (severity: string) => shown.filter((f) => f.severity === severity).length;
      results.push({
        root,
        files: report.files,
        errors: count('error'),
        warnings: count('warning'),
        infos: count('info'),
        score: report.score,
        stages: report.stages,
        unscored: report.unscored,
        ...(left.extensions.length ? { leftToEditor: left } : {}),
        ...(report.tests ? { tests: report.tests } : {}),
        ...(report.testRun ? { testRun: report.testRun } : {}),
      });
    }
    return results;
  }

  dispose(): void {
    for (const path of [...this.timers.keys(), ...this.runs.keys()]) this.cancel(path);
  }
}

const countKey = { error: 'errors', warning: 'warnings', info: 'infos' } as const;

/** Adds the findings of a file that another extension shows to `left`. */
function countLeftOut(left: LeftToEditorTools, findings: Finding[], file: EditorFile, deferral: Deferral): void {
  for (const f of findings) {
    const extension = shownBy(f, file, deferral);
    if (!extension) continue;
    left[countKey[f.severity]]++;
    if (!left.extensions.includes(extension)) left.extensions.push(extension);
  }
}
