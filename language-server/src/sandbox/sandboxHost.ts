// The sandbox as the language server hosts it: settings pulled from the editor on each run (the
// environment as fallback), the request's overrides applied, progress handed to the caller.
import type { SandboxRunParams } from '../../../protocol/lsp';
import type { SandboxProgress, TestRunResult } from '../../../protocol/sandbox';
import { runProjectTests, type RunnerOptions } from './runTests';
import { parseMode, sandboxSettingsFromEditor, sandboxSettingsFromEnvironment, type SandboxSettings } from './settings';
import { SandboxInputError } from './types';

export interface SandboxHostDeps {
  storageDir: string;
  env: NodeJS.ProcessEnv;
  /** The editor's `qlp` settings section (undefined when the client has none). */
  editorSettings(): Promise<Record<string, unknown> | undefined>;
}

export class SandboxHost {
  constructor(private readonly deps: SandboxHostDeps) {}

  async settings(params: Pick<SandboxRunParams, 'sandbox' | 'timeoutSeconds'>): Promise<SandboxSettings> {
    const editor = await this.deps.editorSettings().catch(() => undefined);
    const settings = editor ? sandboxSettingsFromEditor(editor) : sandboxSettingsFromEnvironment(this.deps.env);
    if (params.sandbox !== undefined) settings.mode = parseMode(params.sandbox, 'sandbox');
    if (params.timeoutSeconds !== undefined) {
      if (!Number.isInteger(params.timeoutSeconds) || params.timeoutSeconds < 1)
        throw new SandboxInputError(`timeoutSeconds must be a positive whole number, got ${params.timeoutSeconds}.`);
      settings.limits.timeoutSeconds = params.timeoutSeconds;
    }
    return settings;
  }

  async run(params: SandboxRunParams, signal: AbortSignal, onProgress: (p: SandboxProgress) => void): Promise<TestRunResult> {
    if (!params || typeof params.folder !== 'string' || !params.folder) throw new SandboxInputError('Give the folder whose tests should run.');
    return runProjectTests(params.folder, await this.runnerOptions(params), { signal, onProgress });
  }

  /** What a fresh runner needs, from the current settings (validation's tests stage uses it too). */
  async runnerOptions(params: Pick<SandboxRunParams, 'sandbox' | 'timeoutSeconds'> = {}): Promise<RunnerOptions> {
    return { settings: await this.settings(params), storageDir: this.deps.storageDir, env: this.deps.env };
  }
}
