// One generation run: requirements → plan → files → verify and repair → target folder → capsule.
// Plain inputs, an AbortSignal and an event listener; the LSP handler and the command line only
// translate. Until the commit nothing touches the target folder, so a cancel leaves it as it was.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { GenerateParams, GenerationEvent, GenerationResult, GenerationUsage, MutationSummary, ProjectPlan } from '../../../protocol/generate';
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
import { detectStack, stackById, type StackProfile } from './stacks';
import { serializeTranscript, type Transcript } from './transcript';
import type { ModelTurns } from './turns';
import { usageOf } from './usage';
import { freezeContract, isTestFile } from './testContract';
import type { Verification, Verifier } from './verify';
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

export async function generateProject(
  params: GenerateParams,
  deps: GenerateDeps,
  signal: AbortSignal,
  emit: (event: GenerationEvent) => void,
): Promise<GenerationResult> {
  const started = performance.now();
  const requirements = await checkRequest(params);
  const { profile, reason } = params.stack ? { profile: stackById(params.stack), reason: 'chosen' } : detectStack(requirements);
  const ctx = await startRun(params, deps, requirements, profile, signal, emit);
  const reasons: string[] = [];
  const outcome: LoopOutcome = { verification: undefined, evidence: undefined, blamed: new Set(), rounds: 0 };
  let mutation: MutationSummary | null = null;
  try {
    emit({ kind: 'phase', phase: 'plan', message: `Planning a ${profile.label} (${reason})` });
    const context = (await deps.context?.(requirements, signal).catch(() => [])) ?? [];
    await planProject(ctx, context, deps.approvePlan);
    mutation = await writeAndVerify(ctx, context, deps.verifier, params.tests !== false, reasons, outcome);
  } catch (err) {
    reasons.push(await salvage(err, ctx));
  }

  const paths = await commitToFolder(ctx, params.folder, deps.capsules);
  const { verification, evidence, blamed, rounds } = outcome;
  const status = statusOf(verification, reasons, evidence, mutation);
  if (status !== 'verified') reasons.push(...unverifiedReasons(verification, evidence, mutation).filter((r) => !reasons.includes(r)));
  for (const path of paths) emit({ kind: 'file', path, ...(verification ? fileVerdict(ctx, verification, path, blamed) : { state: 'written' as const }) });
  const totals = usageOf(deps.turns, deps.budgetUsd);
  const capsule = await recordCapsule(ctx, deps, params.folder, verification, mutation, totals);
  return {
    generationId: ctx.id,
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
    capsule,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The requirements, trimmed, once they and the target folder are usable. */
async function checkRequest(params: GenerateParams): Promise<string> {
  const requirements = params.requirements?.trim() ?? '';
  if (!requirements) throw new GenerationInputError('Describe the project to generate: the requirements are empty.');
  if (requirements.length > maxRequirementChars)
    throw new GenerationInputError(`The requirements are ${requirements.length} characters; keep them under ${maxRequirementChars}.`);
  if (!params.allowExisting && !(await folderIsEmpty(params.folder))) {
    throw new GenerationInputError(`${params.folder} is not empty; choose a new folder, or allow generating into it (a capsule keeps its current state).`);
  }
  return requirements;
}

/** The run's context: its staging folder, and model turns that report the usage after each answer. */
async function startRun(
  params: GenerateParams,
  deps: GenerateDeps,
  requirements: string,
  profile: StackProfile,
  signal: AbortSignal,
  emit: (event: GenerationEvent) => void,
): Promise<RunContext> {
  const id = deps.generationId ?? randomUUID();
  const staging = join(deps.dataDir, 'generations', id);
  await mkdir(staging, { recursive: true });
  const turns: ModelTurns = {
    turns: deps.turns.turns,
    complete: async (request) => {
      const result = await deps.turns.complete(request);
      emit({ kind: 'usage', usage: usageOf(deps.turns, deps.budgetUsd) });
      return result;
    },
  };
  const routing = { available: deps.available, history: deps.history, ...(params.tier ? { override: params.tier } : {}) };
  return new RunContext(id, requirements, profile, staging, turns, routing, { ...defaultLimits, ...deps.limits }, signal, emit);
}

/** The plan: asked of the model, then approved (or edited) by the user when they are asked. */
async function planProject(ctx: RunContext, context: ContextChunk[], approvePlan: GenerateDeps['approvePlan']): Promise<void> {
  const { limits, profile, signal, emit } = ctx;
  const answer = await ctx.turns.complete({
    key: 'plan',
    task: 'plan',
    tier: ctx.tierFor('plan'),
    prompt: planPrompt(ctx.requirements, profile, context),
    maxTokens: limits.maxTokensPerTurn,
    maxChars: ctx.maxAnswerChars,
    signal,
    onText: (delta) => emit({ kind: 'text', path: null, delta }),
  });
  ctx.tiersUsed.add(answer.tier);
  let parsed = parsePlan(answer, profile, limits.maxFiles);
  for (const notice of parsed.notices) emit({ kind: 'notice', message: notice });
  emit({ kind: 'plan', plan: parsed.plan, tier: answer.tier, model: `${answer.provider}:${answer.model}` });
  if (approvePlan) {
    emit({ kind: 'phase', phase: 'approve', message: 'Waiting for the plan to be approved' });
    const approved = await approvePlan(parsed.plan);
    throwIfAborted(signal, generationCancelled);
    if (!approved) throw new CancelledError('The plan was not approved; nothing was written.');
    parsed = checkEditedPlan(approved, profile, limits.maxFiles);
    for (const notice of parsed.notices) emit({ kind: 'notice', message: notice });
  }
  ctx.plan = parsed.plan;
  for (const file of ctx.plan.files) emit({ kind: 'file', path: file.path, state: 'pending' });
}

/** Writes the planned files into staging, freezes the tests, verifies and repairs, then measures the tests' strength. */
async function writeAndVerify(
  ctx: RunContext,
  context: ContextChunk[],
  verifier: Verifier,
  tests: boolean,
  reasons: string[],
  outcome: LoopOutcome,
): Promise<MutationSummary | null> {
  ctx.emit({ kind: 'phase', phase: 'write', message: `Writing ${ctx.plan!.files.length} files` });
  reasons.push(...(await writeAllFiles(ctx, context)));
  ctx.contract = await freezeContract(
    ctx.files,
    ctx.plan!.files.filter(isTestFile).map((f) => f.path),
  );
  await verifyAndRepair(ctx, verifier, tests, reasons, outcome);
  return checkMutation(ctx, verifier, outcome, reasons);
}

/**
 * A run stopped early: work already paid for is kept (unverified, for the reason returned) when
 * the budget or the providers stopped it; otherwise staging goes and the error is thrown on, a
 * cancel saying the target folder was left as it was.
 */
async function salvage(err: unknown, ctx: RunContext): Promise<string> {
  const stopped = err instanceof BudgetExceededError ? 'stopped at the budget' : err instanceof ModelCallError ? 'the model provider failed' : undefined;
  const cancelled = ctx.signal.aborted || err instanceof CancelledError;
  if (cancelled || !stopped || !ctx.files.size) {
    await rm(ctx.staging, { recursive: true, force: true });
    throw ctx.signal.aborted ? new CancelledError(generationCancelled) : err;
  }
  return `${stopped}: ${(err as Error).message}`;
}

/** Moves the staged files into the target folder (a capsule keeps what was there); staging goes either way. */
async function commitToFolder(ctx: RunContext, folder: string, capsules: CapsuleService): Promise<string[]> {
  ctx.emit({ kind: 'phase', phase: 'commit', message: `Writing ${ctx.files.size} files to ${folder}` });
  const paths = [...ctx.files.keys()].sort();
  try {
    await commitFiles(ctx.staging, paths, folder, capsules);
  } finally {
    await rm(ctx.staging, { recursive: true, force: true });
  }
  return paths;
}

/** Snapshots the target folder as a generated capsule version: transcript, models, usage, validation, receipts. */
async function recordCapsule(
  ctx: RunContext,
  deps: GenerateDeps,
  folder: string,
  verification: Verification | undefined,
  mutation: MutationSummary | null,
  totals: GenerationUsage,
): Promise<{ id: string; version: number }> {
  const transcript: Transcript = { transcriptVersion: 1, generationId: ctx.id, requirements: ctx.requirements, stack: ctx.profile.id, turns: deps.turns.turns };
  const receipts = verification?.testRun ? [await receiptOf(verification, { mutation, contract: ctx.contract, blobs: deps.capsules.store.blobs })] : [];
  const capsule = await snapshotFolder(deps.capsules.store, folder, {
    name: basename(folder),
    includeSecrets: true,
    transcript: { data: serializeTranscript(transcript), turns: transcript.turns.length },
    details: {
      kind: 'generated',
      requirements: ctx.requirements,
      stack: ctx.profile.id,
      models: modelsOf(transcript),
      usage: { inputTokens: totals.inputTokens, outputTokens: totals.outputTokens, costUsd: totals.costUsd },
      validation: verification ? { score: verification.report.score, stages: verification.report.stages, findings: countFindings(verification) } : null,
      receipts,
      tools: { qlp: qlpVersion },
    },
  });
  return { id: capsule.id, version: capsule.version };
}
