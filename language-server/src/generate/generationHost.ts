// A generation with its real parts assembled: the model turns (live or replayed), validation,
// the sandbox's test runner (one warm session for the repair rounds), and the workspace's
// capsule store. Shared by the language server and the command line.
import { randomUUID } from 'node:crypto';
import type { GenerateParams, GenerationEvent, GenerationResult, ProjectPlan } from '../../../protocol/generate';
import { CapsuleService } from '../capsule/service';
import type { ContextChunk } from '../index/retrieve';
import { tierHistory } from '../llm/history';
import type { Ledger } from '../llm/ledger';
import type { ModelSetup } from '../llm/modelSetup';
import { ProjectTestRunner } from '../sandbox/runTests';
import type { SandboxSettings } from '../sandbox/settings';
import { ValidationWorker } from '../validate/worker/client';
import { generateProject } from './pipeline';
import type { GenerationLimits } from './runContext';
import type { Transcript } from './transcript';
import { LiveTurns, ReplayTurns } from './turns';
import { createVerifier } from './verify';

export interface GenerationHostOptions {
  models: ModelSetup;
  ledger: Ledger;
  /** QLP's data folder: capsules, sandbox files and staging live under it. */
  dataDir: string;
  /** The workspace whose capsule store keeps the result. */
  workspaceRoot: string;
  sandbox: SandboxSettings;
  env: NodeJS.ProcessEnv;
  budgetUsd: number;
  limits?: Partial<GenerationLimits>;
  /** Replays this transcript instead of calling any model. */
  replay?: Transcript;
  approvePlan?(plan: ProjectPlan): Promise<ProjectPlan | undefined>;
  context?(requirements: string, signal: AbortSignal): Promise<ContextChunk[]>;
  /** The validation worker's bundle, when not beside this one (tests running from source). */
  validationWorkerFile?: string;
}

export async function runGeneration(
  params: GenerateParams,
  options: GenerationHostOptions,
  signal: AbortSignal,
  emit: (event: GenerationEvent) => void,
): Promise<GenerationResult> {
  const generationId = randomUUID();
  const worker = options.validationWorkerFile ? new ValidationWorker(options.validationWorkerFile) : new ValidationWorker();
  worker.warmUp();
  const runner = new ProjectTestRunner({ settings: options.sandbox, storageDir: options.dataDir, env: options.env, reuse: true });
  try {
    const capsules = await CapsuleService.open(options.dataDir, options.workspaceRoot);
    const turns = options.replay ? new ReplayTurns(options.replay) : new LiveTurns(options.models.service, generationId);
    return await generateProject(
      params,
      {
        turns,
        // A replay routes as the recording did: every tier counts as available.
        available: options.replay ? ['T0', 'T1', 'T2', 'T3'] : options.models.available,
        history: options.replay ? [] : tierHistory(await options.ledger.entries()),
        verifier: createVerifier(worker, runner),
        capsules,
        dataDir: options.dataDir,
        budgetUsd: options.budgetUsd,
        generationId,
        ...(options.limits ? { limits: options.limits } : {}),
        ...(options.approvePlan ? { approvePlan: options.approvePlan } : {}),
        ...(options.context ? { context: options.context } : {}),
      },
      signal,
      emit,
    );
  } finally {
    await Promise.all([worker.dispose(), runner.close()]);
  }
}
