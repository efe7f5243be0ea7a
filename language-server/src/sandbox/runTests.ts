// The test-run service: stage the project, detect how it is tested, install its dependencies
// (once, cached), run its tests in the sandbox, read its test cases, counts and coverage, and
// write a receipt; after a passing run, the mutation check in the same session.
// Plain inputs, an AbortSignal and a progress callback; it never sees the editor or a terminal.
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { MutationReport, ReceiptPhase, SandboxProgress, SandboxReceipt, TestRunResult } from '../../../protocol/sandbox';
import { depsKey, depsSlot, discardDeps, installMounts, publishDeps } from './depsCache';
import { detectProject, projectFiles, type SandboxPlan } from './detect';
import { sandboxEnvironment, secretValues } from './environment';
import { LiveOutput } from './liveOutput';
import { sandboxDataDir } from './layout';
import { hostPythonHasCoverage } from './hostTools';
import { buildResult, phaseRecord, type ResultInput } from './receipt';
import { runMutation, type MutateOptions, type MutationSession } from './mutation/mutate';
import { mutationReport } from './mutation/report';
import { newNonce, withReports } from './reportBlocks';
import { decideStatus, parseCoverage, parseTestCounts } from './results';
import { toolsMount } from './sandboxTools';
import { casesFromReports, countCases } from './testReports';
import { selectSandbox } from './select';
import type { SandboxSettings } from './settings';
import { hostBindPath } from './skeleton';
import { stageProject, type StagedProject } from './stage';
import {
  SandboxInputError,
  SandboxUnavailableError,
  type RunOutcome,
  type Sandbox,
  type SandboxEnvironment,
  type SandboxMount,
  type SandboxSession,
  type SessionSpec,
} from './types';

export type { MutateOptions } from './mutation/mutate';

export interface RunnerOptions {
  settings: SandboxSettings;
  /** The QLP data folder; the sandbox keeps its files under it (see layout.sandboxDataDir). */
  storageDir: string;
  /** This process's environment: where the engine is, which values are secrets. Never passed inside. */
  env: NodeJS.ProcessEnv;
  /** Keep one warm container across runs (a generation's repair loop). */
  reuse?: boolean;
}

export interface RunRequest {
  signal?: AbortSignal;
  onProgress?(progress: SandboxProgress): void;
}

/** Runs projects' tests in a sandbox; with `reuse`, runs after the first are faster. Close it. */
export class ProjectTestRunner {
  private sandbox: Sandbox | undefined;
  private readonly dataDir: string;
  private readonly id = randomUUID();
  private warm: { key: string; session: SandboxSession } | undefined;

  constructor(private readonly options: RunnerOptions) {
    this.dataDir = sandboxDataDir(options.storageDir);
  }

  async run(projectDir: string, request: RunRequest = {}): Promise<TestRunResult> {
    const startedAt = new Date();
    const started = performance.now();
    const progress = request.onProgress ?? (() => undefined);
    const runDir = await this.runDir(projectDir);
    try {
      const setup = await this.setUp(projectDir, runDir, request.signal, progress);
      const { plan, files, live, phases, deps } = setup;
      const limits = this.options.settings.limits;
      const finish = (outcome: RunOutcome, outcomeOf: Omit<ResultInput, 'outcome' | 'receipt' | 'secrets'>) =>
        buildResult({
          ...outcomeOf,
          outcome,
          secrets: secretValues(this.options.env),
          receipt: {
            staged: setup.staged,
            stack: plan.stack,
            sandbox: setup.sandbox.kind,
            environment: setup.environment,
            limits,
            dependencies: deps.source,
            phases,
            startedAt,
            started,
          },
        });
      if (deps.failed) {
        const why = deps.failed.timedOut ? 'did not finish in time' : deps.failed.cancelled ? 'was cancelled' : `failed (exit ${deps.failed.exitCode})`;
        return finish(deps.failed, { command: plan.install!.command, verdict: { status: 'error', error: `Installing the dependencies ${why}; see stderr.` } });
      }

      progress({ kind: 'phase', phase: 'test', message: `Running ${plan.test.command}` });
      // The runner's reports come back on stdout in blocks only this run's nonce opens.
      const nonce = newNonce();
      const argv = ['/bin/sh', '-c', withReports(plan.test.command, nonce)];
      const outcome = await this.inSession(setup.testSession, (s) =>
        s.run({ argv, env: setup.testEnv, signal: request.signal, onOutput: live.forward, reportNonce: nonce }),
      );
      phases.push(phaseRecord('test', plan.test.command, false, outcome));
      const combined = `${outcome.stdout.text}\n${outcome.stderr.text}`;
      const cases = casesFromReports(outcome.report?.blocks ?? [], files);
      const tests = cases ? countCases(cases) : parseTestCounts(combined);
      return finish(outcome, {
        command: plan.test.command,
        tests,
        cases,
        coverage: parseCoverage(combined, plan.test.coverage),
        verdict: decideStatus(outcome, tests, limits),
      });
    } finally {
      if (!this.options.reuse) await rm(runDir, { recursive: true, force: true });
    }
  }

  /**
   * Mutation testing, after a passing run: mutants of `codeFiles` are tried against `testFiles`
   * in the same sandbox session as the tests (the warm one when reusing), with the same limits
   * and no network. See mutation/mutate.ts.
   */
  async mutate(projectDir: string, options: MutateOptions): Promise<MutationReport> {
    const started = performance.now();
    const runDir = await this.runDir(projectDir);
    try {
      const setup = await this.setUp(projectDir, runDir, options.signal, () => undefined);
      if (setup.deps.failed) {
        return mutationReport({
          mutants: [],
          results: [],
          problems: [],
          badFiles: 0,
          tool: 'qlp-mutate',
          durationMs: performance.now() - started,
          error: 'Installing the dependencies failed, so the tests could not run.',
        });
      }
      const session: MutationSession = {
        plan: setup.plan,
        files: projectFiles(
          setup.sourceDir,
          setup.staged.files.map((f) => f.path),
        ),
        timeoutSeconds: this.options.settings.limits.timeoutSeconds,
        run: (argv, nonce, onReport) =>
          this.inSession(setup.testSession, (s) => s.run({ argv, env: setup.testEnv, signal: options.signal, reportNonce: nonce, onReport })),
      };
      return await runMutation(session, options, started);
    } finally {
      if (!this.options.reuse) await rm(runDir, { recursive: true, force: true });
    }
  }

  /** The folder a run stages the project in: one per runner when reusing, else one per run. */
  private async runDir(projectDir: string): Promise<string> {
    if (!(await stat(resolve(projectDir)).catch(() => undefined))?.isDirectory())
      throw new SandboxInputError(`${projectDir} is not a folder; give the project's folder.`);
    await mkdir(this.dataDir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      throw new SandboxUnavailableError(`Cannot write to ${this.dataDir} (${err.code}); set QLP_HOME to a writable folder.`);
    });
    await chmod(this.dataDir, 0o755).catch(() => undefined);
    return join(this.dataDir, 'runs', this.options.reuse ? this.id : randomUUID());
  }

  /** Stages the project, plans its test run, readies the sandbox and the tests' dependencies. */
  private async setUp(projectDir: string, runDir: string, signal: AbortSignal | undefined, progress: (p: SandboxProgress) => void) {
    const { settings } = this.options;
    const dir = resolve(projectDir);
    const sourceDir = join(runDir, 'src');
    // Everything that can refuse the run (no tests, no sandbox) comes before the first progress.
    const staged = await stageProject(dir, sourceDir);
    const files = projectFiles(
      dir,
      staged.files.map((f) => f.path),
    );
    // A project without tests is refused before any sandbox is probed (validation asks often).
    const { stack } = detectProject(files, { pythonCoverage: false });
    this.sandbox ??= await selectSandbox(settings.mode, { env: this.options.env, dataDir: this.dataDir });
    const sandbox = this.sandbox;
    const image = sandbox.kind === 'docker' && stack ? settings.images[stack] : '';
    const plan = detectProject(files, { pythonCoverage: !image && (await hostPythonHasCoverage()) });
    progress({
      kind: 'phase',
      phase: 'prepare',
      message: `Preparing the ${sandbox.kind} sandbox${image ? ` (${image})` : ''} for ${dir} (${staged.files.length} files)`,
    });
    const environment = await sandbox.prepare({ image, signal, onProgress: (message) => progress({ kind: 'phase', phase: 'prepare', message }) });
    const session: SessionSpec = { sourceDir, mounts: [], network: false, limits: settings.limits, image, reuse: this.options.reuse };
    const live = new LiveOutput(progress);
    const phases: ReceiptPhase[] = [];
    const deps = await this.dependencies(plan, files, staged, environment, session, { signal, onProgress: progress }, live, phases);
    const testEnv = { ...sandboxEnvironment({ phase: 'test', extraPath: image ? [] : hostBindPath() }), ...plan.test.env };
    const testSession: SessionSpec = { ...session, mounts: [...deps.mounts, await toolsMount(this.dataDir)] };
    return { sourceDir, staged, files, plan, sandbox, environment, live, phases, deps, testEnv, testSession };
  }

  /** Kills what still runs and removes the warm container and staged files. */
  async close(): Promise<void> {
    const warm = this.warm;
    this.warm = undefined;
    await warm?.session.close();
    if (this.options.reuse) await rm(join(this.dataDir, 'runs', this.id), { recursive: true, force: true });
  }

  /** Runs `use` in a session: the warm one when reusing and nothing changed, else a fresh one. */
  private async inSession(spec: SessionSpec, use: (session: SandboxSession) => Promise<RunOutcome>): Promise<RunOutcome> {
    if (!spec.reuse) {
      const session = await this.sandbox!.open(spec);
      try {
        return await use(session);
      } finally {
        await session.close();
      }
    }
    const key = JSON.stringify(spec);
    if (this.warm?.key !== key) {
      await this.warm?.session.close();
      this.warm = { key, session: await this.sandbox!.open(spec) };
    }
    return use(this.warm.session);
  }

  /** The mounts that give the tests their dependencies, installing them first when needed. */
  private async dependencies(
    plan: SandboxPlan,
    files: ReturnType<typeof projectFiles>,
    staged: StagedProject,
    environment: SandboxEnvironment,
    session: SessionSpec,
    request: RunRequest,
    live: LiveOutput,
    phases: ReceiptPhase[],
  ): Promise<{ mounts: SandboxMount[]; source: SandboxReceipt['dependencies']; failed?: RunOutcome }> {
    const install = plan.install;
    if (!install) return { mounts: [], source: null };
    if (install.existing) return { mounts: [{ hostPath: install.existing, target: install.target, readOnly: true }], source: { from: 'project' } };
    const key = depsKey(install, files, `${this.sandbox!.kind} ${environment.image} ${environment.imageId ?? ''} ${environment.runtime}`, staged.inputHash);
    const slot = await depsSlot(this.dataDir, key);
    if (slot.ready) return { mounts: [{ hostPath: slot.ready, target: install.target, readOnly: true }], source: { from: 'cache', key } };
    const network = this.options.settings.allowNetworkForInstall;
    const command = network || !install.offlineFlag ? install.command : `${install.command} ${install.offlineFlag}`;
    request.onProgress?.({ kind: 'phase', phase: 'install', message: `Installing dependencies: ${command}` });
    try {
      const mounts = await installMounts(this.dataDir, install, slot, plan.stack);
      const env = sandboxEnvironment({ phase: 'install', extraPath: session.image ? [] : hostBindPath() });
      const outcome = await this.inSession({ ...session, mounts, network, reuse: false }, (s) =>
        s.run({ argv: ['/bin/sh', '-c', command], env, signal: request.signal, onOutput: live.forward }),
      );
      phases.push(phaseRecord('install', command, network, outcome));
      if (outcome.exitCode !== 0 || outcome.timedOut || outcome.cancelled) {
        await discardDeps(slot);
        return { mounts: [], source: null, failed: outcome };
      }
      const ready = await publishDeps(this.dataDir, slot);
      return { mounts: [{ hostPath: ready, target: install.target, readOnly: true }], source: { from: 'install', key } };
    } catch (err) {
      await discardDeps(slot);
      throw err;
    }
  }
}

/** One run with a fresh runner: what `qlp test` and the editor's command do. */
export async function runProjectTests(projectDir: string, options: RunnerOptions, request: RunRequest = {}): Promise<TestRunResult> {
  const runner = new ProjectTestRunner({ ...options, reuse: false });
  try {
    return await runner.run(projectDir, request);
  } finally {
    await runner.close();
  }
}
