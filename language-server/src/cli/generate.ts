// `qlp generate`: the generation engine headless. Progress goes to stderr, the result to stdout
// (one JSON document with --json). Exit 0 verified, 1 unverified, 2 bad input, 3 environment.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { mutationSentence, type GenerationEvent, type GenerationResult } from '../../../protocol/generate';
import { formatUsd, tiers, type Tier } from '../../../protocol/llm';
import { counted } from '../../../protocol/validate';
import { providerIds, type ProviderId } from '../../../protocol/machine';
import { findWorkspaceRoot } from '../capsule/workspaceStore';
import { CapsuleService } from '../capsule/service';
import { runGeneration } from '../generate/generationHost';
import { sampleName, sampleRecording, transcriptOf } from '../generate/replaySource';
import type { GenerationLimits } from '../generate/runContext';
import { stackProfiles } from '../generate/stacks';
import { defaultIndexDir } from '../index/location';
import { Ledger } from '../llm/ledger';
import { ledgerFile, setUpModels } from '../llm/modelSetup';
import { defaultTierModels } from '../llm/tierModels';
import { defaultStorageDir } from '../machine/storage';
import { parseRef } from './capsule/context';
import type { CliCommand, CliIo } from './command';
import { interruptSignal, UsageError } from './errors';
import { providerEnvironment, sandboxEnvironment } from './environment';
import { environmentModels } from './models';
import { parseCommandArgs } from './parse';
import { cliSandboxSettings } from './test';

const usage =
  'qlp generate "<requirements>" --out <dir> [--stack <id>] [--tier auto|T0|T1|T2|T3] [--provider <id>] [--model <name>] [--budget <usd>] [--max-repair-rounds <n>] [--parallel <n>] [--sandbox docker|bwrap] [--min-mutation-score <0..1>] [--no-tests] [--force] [--json]\n       qlp generate --replay <capsule|sample> --out <dir> [--sandbox docker|bwrap] [--min-mutation-score <0..1>] [--no-tests] [--json]';

function eventLine(event: GenerationEvent): string | undefined {
  switch (event.kind) {
    case 'phase':
      return event.message;
    case 'plan':
      return `Plan (${event.tier} ${event.model}): ${counted(event.plan.files.length, 'file')}: ${event.plan.files.map((f) => f.path).join(', ')}`;
    case 'file':
      return event.state === 'pending' || event.state === 'writing'
        ? undefined
        : `  ${event.state.padEnd(9)} ${event.path}${event.tier ? ` (${event.tier} ${event.model ?? ''})` : ''}${event.message ? `: ${event.message}` : ''}`;
    case 'validation':
      return `Validation round ${event.round}: score ${event.score}, ${counted(event.errors, 'error')}, ${counted(event.warnings, 'warning')}`;
    case 'tests':
      return [
        `Tests round ${event.round} (${event.sandbox}): ${event.status}${event.tests ? `, ${event.tests.passed} passed, ${event.tests.failed} failed` : ''}`,
        ...(event.failing ?? []).slice(0, 5).map((f) => `  failing ${f}`),
        ...(event.problems ?? []).map((p) => `  not evidence: ${p}`),
      ].join('\n');
    case 'mutation':
      return mutationSentence(event.mutation);
    case 'notice':
      return `Note: ${event.message}`;
    default:
      return undefined;
  }
}

function summaryText(r: GenerationResult, reproduced: boolean | undefined): string {
  return [
    `${r.status.toUpperCase()}: ${counted(r.files.length, 'file')} in ${r.folder} (${r.stack}), ${counted(r.rounds, 'repair round')}, tiers ${r.tiers.join(', ') || 'none'}`,
    ...r.reasons.map((reason) => `  - ${reason}`),
    `Score ${r.score ?? 'n/a'}; tests ${r.tests ? `${r.tests.passed} passed, ${r.tests.failed} failed` : 'not run'}`,
    ...(r.mutation ? [mutationSentence(r.mutation)] : []),
    ...r.amendments.map((a) => `Test amended in round ${a.round}: ${a.path}: ${a.reason}`),
    `Usage: ${counted(r.usage.calls, 'call')}, ${r.usage.inputTokens}+${r.usage.outputTokens} tokens, ${formatUsd(r.usage.costUsd)}${r.usage.recordedCostUsd !== undefined ? ` (replayed; the recording cost ${formatUsd(r.usage.recordedCostUsd)})` : ''}`,
    ...(r.capsule ? [`Capsule ${r.capsule.id}@${r.capsule.version}`] : []),
    ...(reproduced === undefined
      ? []
      : [reproduced ? 'Replay reproduced the recorded files byte for byte.' : 'Replay produced different files than the recording.']),
  ].join('\n');
}

/** `--provider` (and `--model`) pin every tier to one provider's model. */
function pinProvider(settings: ReturnType<typeof environmentModels>['settings'], provider: string | undefined, model: string | undefined): void {
  if (provider === undefined && model === undefined) return;
  const id = (provider ?? settings.providers.preferred[0]) as ProviderId;
  if (!providerIds.includes(id)) throw new UsageError(`--provider must be one of ${providerIds.join(', ')}, got '${provider}'.`);
  for (const tier of tiers) {
    const name =
      model ??
      (id in defaultTierModels
        ? defaultTierModels[id as keyof typeof defaultTierModels][tier]
        : id === 'local'
          ? settings.providers.local.model
          : settings.providers.azure.deployment);
    if (!name) throw new UsageError(`--provider ${id} needs --model (the ${id === 'azure' ? 'deployment' : 'model'} name).`);
    settings.providers.tiers[tier] = `${id}:${name}`;
  }
}

function budgetOf(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a number of dollars (0 for none), got '${value}'.`);
  return n;
}

function integerFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got '${value}'.`);
  return n;
}

/** The run's limits from the flags; what is not given keeps the defaults. */
function limitsOf(values: Record<string, unknown>): Partial<GenerationLimits> {
  const limits: Partial<GenerationLimits> = {};
  const rounds = integerFlag(values['max-repair-rounds'] as string | undefined, '--max-repair-rounds', 0, 10);
  if (rounds !== undefined) limits.maxRepairRounds = rounds;
  const parallel = integerFlag(values.parallel as string | undefined, '--parallel', 1, 16);
  if (parallel !== undefined) limits.parallelFiles = parallel;
  const score = values['min-mutation-score'] as string | undefined;
  if (score !== undefined) {
    const n = Number(score);
    if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--min-mutation-score must be a share from 0 to 1 (0.6 is 60 %), got '${score}'.`);
    limits.minMutationScore = n;
  }
  return limits;
}

export const generateCommand: CliCommand = {
  summary: 'Generate a verified project from requirements: plan, files, validation, sandboxed tests, repair, capsule.',
  usage,
  help: {
    flags: [
      ['--out <dir>', 'The folder to write the project to (new or empty; see --force).'],
      ['--stack <id>', `The project's stack: ${stackProfiles.map((p) => p.id).join(', ')} (default: chosen from the requirements).`],
      ['--tier auto|T0|T1|T2|T3', 'Start at this model tier (default auto: by the task).'],
      ['--provider <id>', `Pin every tier to one provider: ${providerIds.join(', ')}.`],
      ['--model <name>', 'Pin every tier to this model (with Azure: the deployment).'],
      ['--budget <usd>', 'Spending limit of this generation in dollars, 0 for none (--budget-usd: the older name).'],
      ['--max-repair-rounds <n>', 'Repair rounds after the first attempt, 0 to 10.'],
      ['--parallel <n>', 'Files written at once, 1 to 16.'],
      ['--sandbox docker|bwrap', 'The sandbox the tests run in (default: QLP_SANDBOX_MODE, else auto).'],
      ['--min-mutation-score <0..1>', 'Share of deliberate bugs the tests must catch to call the project verified (default 0.6).'],
      ['--no-tests', 'Write and validate only; run no tests.'],
      ['--force', 'Allow a folder that is not empty (its current state is kept as a capsule version first).'],
      ['--replay <capsule|sample>', 'Re-run a recorded generation from its capsule (or `sample`, the one that ships with QLP), calling no model.'],
      ['--json', 'Print one JSON document with the result (progress stays on stderr).'],
    ],
    examples: [
      'qlp generate "A command-line tool that adds two numbers." --out adder --stack node-cli',
      'qlp generate --replay sample --out adder-sample',
      'qlp generate --replay adder --out adder-again --json',
    ],
    env: [...providerEnvironment, 'QLP_BUDGET_PER_GENERATION_USD', 'QLP_BUDGET_PER_DAY_USD', 'QLP_PRICING', ...sandboxEnvironment, 'QLP_HOME'],
  },
  async run(args, io: CliIo) {
    const { values, positionals } = parseCommandArgs('generate', args, {
      out: { type: 'string' },
      stack: { type: 'string' },
      tier: { type: 'string' },
      provider: { type: 'string' },
      model: { type: 'string' },
      'budget-usd': { type: 'string' },
      budget: { type: 'string' },
      'no-tests': { type: 'boolean' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      replay: { type: 'string' },
      'max-repair-rounds': { type: 'string' },
      parallel: { type: 'string' },
      sandbox: { type: 'string' },
      'min-mutation-score': { type: 'string' },
    });
    const { limits, replayRef, out, tier, stack } = checkedFlags(values, positionals);

    const dataDir = defaultStorageDir(io.env);
    const { settings, keyOf } = environmentModels(io);
    pinProvider(settings, values.provider as string | undefined, values.model as string | undefined);
    const budgetFlag = values.budget !== undefined ? '--budget' : '--budget-usd';
    const budgetUsd = budgetOf((values.budget ?? values['budget-usd']) as string | undefined, budgetFlag, settings.budgets.perGenerationUsd);
    settings.budgets.perGenerationUsd = budgetUsd;
    const ledger = new Ledger(ledgerFile(dataDir));
    const models = await setUpModels(settings, keyOf, ledger);
    for (const problem of models.problems) io.err(`qlp: ${problem}`);
    const workspaceRoot = await findWorkspaceRoot(dataDir, process.cwd());
    // `--replay sample` is the recording that ships with QLP; any other name is a capsule of this workspace.
    const replay =
      replayRef === sampleName
        ? await sampleRecording()
        : replayRef
          ? await transcriptOf(await CapsuleService.open(dataDir, workspaceRoot, { create: false }), parseRef(replayRef, usage))
          : undefined;
    if (!replay && !models.available.length)
      throw new UsageError(
        'no model provider is configured; set OPENAI_API_KEY, ANTHROPIC_API_KEY, GROQ_API_KEY, AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT, or QLP_LOCAL_MODEL for a local server.',
      );

    const context = replay ? undefined : await indexContext(workspaceRoot, io.env);
    const signal = interruptSignal();
    const json = values.json === true;
    const result = await runGeneration(
      {
        requirements: replay?.transcript.requirements ?? positionals[0]!,
        folder: resolve(out),
        ...(replay ? { stack: replay.transcript.stack } : stack ? { stack } : {}),
        ...(tier && tier !== 'auto' ? { tier: tier as Tier } : {}),
        allowExisting: values.force === true,
        tests: values['no-tests'] !== true,
      },
      {
        models,
        ledger,
        dataDir,
        workspaceRoot,
        sandbox: cliSandboxSettings(io, { ...(values.sandbox !== undefined ? { sandbox: values.sandbox as string } : {}) }),
        env: io.env,
        budgetUsd,
        limits,
        ...(replay ? { replay: replay.transcript } : {}),
        ...(context ? { context } : {}),
      },
      signal,
      (event) => {
        const line = eventLine(event);
        if (line) io.err(`qlp: ${line}`);
      },
    );
    let reproduced: boolean | undefined;
    if (replay && result.capsule) {
      const capsules = await CapsuleService.open(dataDir, workspaceRoot);
      reproduced = (await capsules.manifest(result.capsule)).digest === replay.digest;
    }
    io.out(json ? JSON.stringify({ ...result, ...(reproduced === undefined ? {} : { reproduced }) }, null, 2) : summaryText(result, reproduced));
    return result.status === 'verified' && reproduced !== false ? 0 : 1;
  },
};

/** The flags that need checking against each other, checked: one sentence for the first problem. */
function checkedFlags(values: Record<string, unknown>, positionals: string[]) {
  const limits = limitsOf(values);
  if (values.budget !== undefined && values['budget-usd'] !== undefined)
    throw new UsageError('give the budget once: --budget <usd> (or its older name --budget-usd).');
  const replayRef = values.replay as string | undefined;
  if (positionals.length !== (replayRef ? 0 : 1)) throw new UsageError(`usage: ${usage}`);
  const out = values.out as string | undefined;
  if (!out) throw new UsageError('say where to write the project with --out <dir>.');
  const tier = values.tier as string | undefined;
  if (tier !== undefined && tier !== 'auto' && !tiers.includes(tier as Tier))
    throw new UsageError(`--tier must be auto or one of ${tiers.join(', ')}, got '${tier}'.`);
  const stack = values.stack as string | undefined;
  if (stack !== undefined && !stackProfiles.some((p) => p.id === stack))
    throw new UsageError(`--stack must be one of ${stackProfiles.map((p) => p.id).join(', ')}, got '${stack}'.`);
  return { limits, replayRef, out, tier, stack };
}

/**
 * Context from the workspace's index, when there is one (building one is `qlp index`'s job). The
 * index engine, and LanceDB's native library with it, loads only when it is read.
 */
async function indexContext(workspaceRoot: string, env: NodeJS.ProcessEnv) {
  const indexDir = await defaultIndexDir(workspaceRoot, env);
  if (!existsSync(indexDir)) return undefined;
  return (text: string, signal: AbortSignal) =>
    (require('../index/retrieve') as typeof import('../index/retrieve')).retrieveContext(workspaceRoot, text, { signal, indexDir, env });
}
