// One generation run: requirements → plan → files → verify and repair → target folder → capsule.
// Plain inputs, an AbortSignal and an event listener; the LSP handler and the command line only
// translate. Until the commit nothing touches the target folder, so a cancel leaves it as it was.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { GenerateParams, GenerationEvent, GenerationResult, MutationSummary, ProjectPlan } from '../../../protocol/generate';
import type { Tier } from '../../../protocol/llm';
import type { ContextChunk } from '../index/retrieve';
import { BudgetExceededError } from '../llm/budget';
import { ModelCallError } from '../llm/modelService';
import type { TierHistory } from '../llm/router';
import type { CapsuleService } from '../capsule/service';
import { snapshotFolder } from '../capsule/snapshot';
import { CancelledError, throwIfAborted } from '../common/cancellation';
import { qlpVersion } from '../common/version';
import { commitFiles, folderIsEmpty } from './commit';
import { generationCancelled, GenerationInputError } from './errors';
import { checkEditedPlan, parsePlan } from './planParser';
import { planPrompt } from './prompts';
import { countFindings, fileVerdict, modelsOf, statusOf, unverifiedReasons } from './outcome';
import { receiptOf } from './receipt';
import { defaultLimits, RunContext, type GenerationLimits } from './runContext';
import { detectStack, stackById } from './stacks';
import { serializeTranscript, type Transcript } from './transcript';
import type { ModelTurns } from './turns';
import { usageOf } from './usage';
import { freezeContract, isTestFile } from './testContract';
import type { Verifier } from './verify';
import { checkMutation, verifyAndRepair, type LoopOutcome } from './verifyLoop';
import { writeAllFiles } from './writer';

export interface GenerateDeps {
  turns: ModelTurns;
  available: Tier[];
  history: TierHistory[];
  verifier: Verifier;
  /** The capsule store of the workspace the target folder belongs to. */
  capsules: CapsuleService;
  /** QLP's data folder (staging lives under it). */
  dataDir: string;
  limits?: Partial<GenerationLimits>;
  budgetUsd: number;
  /** Workspace context for the requirements (the index), when there is one. */
  context?(requirements: string, signal: AbortSignal): Promise<ContextChunk[]>;
  /** Lets the user approve or edit the plan; undefined cancels. Without it the plan is approved. */
  approvePlan?(plan: ProjectPlan): Promise<ProjectPlan | undefined>;
  generationId?: string;
}

const maxRequirementChars = 20_000;

export async function generateProject(params: GenerateParams, deps: GenerateDeps, signal: AbortSignal, emit: (event: GenerationEvent) => void): Promise<GenerationResult> {
  const started = performance.now();
  const requirements = params.requirements?.trim() ?? '';
  if (!requirements) throw new GenerationInputError('Describe the project to generate: the requirements are empty.');
  if (requirements.length > maxRequirementChars) throw new GenerationInputError(`The requirements are ${requirements.length} characters; keep them under ${maxRequirementChars}.`);
  if (!params.allowExisting && !(await folderIsEmpty(params.folder))) {
    throw new GenerationInputError(`${params.folder} is not empty; choose a new folder, or allow generating into it (a capsule keeps its current state).`);
  }
  const { profile, reason } = params.stack ? { profile: stackById(params.stack), reason: 'chosen' } : detectStack(requirements);
  const id = deps.generationId ?? randomUUID();
  const limits = { ...defaultLimits, ...deps.limits };
  const staging = join(deps.dataDir, 'generations', id);
  await mkdir(staging, { recursive: true });
  const usage = () => usageOf(deps.turns, deps.budgetUsd);
  const turns: ModelTurns = {
    turns: deps.turns.turns,
    complete: async (request) => {
      const result = await deps.turns.complete(request);
      emit({ kind: 'usage', usage: usage() });
      return result;
    },
  };
  const ctx = new RunContext(id, requirements, profile, staging, turns, { available: deps.available, history: deps.history, ...(params.tier ? { override: params.tier } : {}) }, limits, signal, emit);
  const reasons: string[] = [];
  const outcome: LoopOutcome = { verification: undefined, evidence: undefined, blamed: new Set(), rounds: 0 };
  let mutation: MutationSummary | null = null;
  try {
    emit({ kind: 'phase', phase: 'plan', message: `Planning a ${profile.label} (${reason})` });
    const context = (await deps.context?.(requirements, signal).catch(() => [])) ?? [];
    const planTier = ctx.tierFor('plan');
    const answer = await turns.complete({ key: 'plan', task: 'plan', tier: planTier, prompt: planPrompt(requirements, profile, context), maxTokens: limits.maxTokensPerTurn, maxChars: ctx.maxAnswerChars, signal, onText: (delta) => emit({ kind: 'text', path: null, delta }) });
    ctx.tiersUsed.add(answer.tier);
    let parsed = parsePlan(answer, profile, limits.maxFiles);
    for (const notice of parsed.notices) emit({ kind: 'notice', message: notice });
    emit({ kind: 'plan', plan: parsed.plan, tier: answer.tier, model: `${answer.provider}:${answer.model}` });
    if (deps.approvePlan) {
      emit({ kind: 'phase', phase: 'approve', message: 'Waiting for the plan to be approved' });
      const approved = await deps.approvePlan(parsed.plan);
      throwIfAborted(signal, generationCancelled);
      if (!approved) throw new CancelledError('The plan was not approved; nothing was written.');
      parsed = checkEditedPlan(approved, profile, limits.maxFiles);
      for (const notice of parsed.notices) emit({ kind: 'notice', message: notice });
    }
    ctx.plan = parsed.plan;
    for (const file of ctx.plan.files) emit({ kind: 'file', path: file.path, state: 'pending' });

    emit({ kind: 'phase', phase: 'write', message: `Writing ${ctx.plan.files.length} files` });
    reasons.push(...(await writeAllFiles(ctx, context)));
    ctx.contract = await freezeContract(ctx.files, ctx.plan.files.filter(isTestFile).map((f) => f.path));
    await verifyAndRepair(ctx, deps.verifier, params.tests !== false, reasons, outcome);
    mutation = await checkMutation(ctx, deps.verifier, outcome, reasons);
  } catch (err) {
    if (signal.aborted || err instanceof CancelledError) {
      await rm(staging, { recursive: true, force: true });
      throw signal.aborted ? new CancelledError(generationCancelled) : err;
    }
    // Work already paid for is kept (as unverified) when the budget or the providers stop the run.
    const stopped = err instanceof BudgetExceededError ? 'stopped at the budget' : err instanceof ModelCallError ? 'the model provider failed' : undefined;
    if (!stopped || !ctx.files.size) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
    reasons.push(`${stopped}: ${(err as Error).message}`);
  }

  emit({ kind: 'phase', phase: 'commit', message: `Writing ${ctx.files.size} files to ${params.folder}` });
  const paths = [...ctx.files.keys()].sort();
  try {
    await commitFiles(staging, paths, params.folder, deps.capsules);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const { verification, evidence, blamed, rounds } = outcome;
  const status = statusOf(verification, reasons, evidence, mutation);
  if (status !== 'verified') reasons.push(...unverifiedReasons(verification, evidence, mutation).filter((r) => !reasons.includes(r)));
  for (const path of paths) emit({ kind: 'file', path, ...(verification ? fileVerdict(ctx, verification, path, blamed) : { state: 'written' as const }) });
  const transcript: Transcript = { transcriptVersion: 1, generationId: id, requirements, stack: profile.id, turns: deps.turns.turns };
  const totals = usage();
  const receipts = verification?.testRun ? [await receiptOf(verification, { mutation, contract: ctx.contract, blobs: deps.capsules.store.blobs })] : [];
  const capsule = await snapshotFolder(deps.capsules.store, params.folder, {
    name: basename(params.folder),
    includeSecrets: true,
    transcript: { data: serializeTranscript(transcript), turns: transcript.turns.length },
    details: {
      kind: 'generated',
      requirements,
      stack: profile.id,
      models: modelsOf(transcript),
      usage: { inputTokens: totals.inputTokens, outputTokens: totals.outputTokens, costUsd: totals.costUsd },
      validation: verification ? { score: verification.report.score, stages: verification.report.stages, findings: countFindings(verification) } : null,
      receipts,
      tools: { qlp: qlpVersion },
    },
  });
  return {
    generationId: id,
    status,
    reasons: status === 'verified' ? [] : reasons,
    folder: params.folder,
    stack: profile.id,
    files: paths,
    rounds,
    tiers: [...ctx.tiersUsed].sort(),
    usage: totals,
    score: verification?.report.score ?? null,
    tests: verification?.report.tests ?? null,
    failingTests: evidence?.failing ?? [],
    mutation,
    amendments: ctx.contract?.amendments.map(({ path, reason, round }) => ({ path, reason, round })) ?? [],
    capsule: { id: capsule.id, version: capsule.version },
    durationMs: Math.round(performance.now() - started),
  };
}
