import { counted } from '../../../protocol/validate';
import { formatUsd, tiers, type Tier } from '../../../protocol/llm';
import { Ledger } from '../llm/ledger';
import { ledgerFile, setUpModels } from '../llm/modelSetup';
import { modelSettingsFromEnvironment } from '../llm/modelSettings';
import { probeModels } from '../llm/probe';
import { defaultStorageDir } from '../machine/storage';
import type { CliCommand, CliIo } from './command';
import { interruptSignal, UsageError } from './errors';
import { providerEnvironment } from './environment';
import { parseCommandArgs } from './parse';

/** Model settings from the environment; a malformed variable is bad input (exit 2). */
export function environmentModels(io: CliIo) {
  try {
    return modelSettingsFromEnvironment(io.env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export const modelsCommand: CliCommand = {
  summary: "Test the model connection: one tiny prompt through the router to a tier's providers.",
  usage: 'qlp models test [--tier T0|T1|T2|T3] [--json]',
  help: {
    flags: [
      ['--tier T0|T1|T2|T3', 'The tier whose providers to try (default T0).'],
      ['--json', 'Print one JSON document: provider, model, answer, latency, tokens, cost.'],
    ],
    examples: ['qlp models test --tier T1'],
    env: [...providerEnvironment, 'QLP_PRICING', 'QLP_BUDGET_PER_DAY_USD', 'QLP_HOME'],
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('models', args, { json: { type: 'boolean' }, tier: { type: 'string' } });
    if (positionals[0] !== 'test' || positionals.length > 1) throw new UsageError(`usage: ${this.usage}`);
    const tier = values.tier as string | undefined;
    if (tier !== undefined && !tiers.includes(tier as Tier)) throw new UsageError(`--tier must be one of ${tiers.join(', ')}, got '${tier}'.`);
    const { settings, keyOf } = environmentModels(io);
    const ledger = new Ledger(ledgerFile(defaultStorageDir(io.env)));
    const setup = await setUpModels(settings, keyOf, ledger);
    for (const problem of setup.problems) io.err(`qlp: ${problem}`);
    const result = await probeModels(setup, ledger, tier as Tier | undefined, interruptSignal());
    io.out(
      values.json
        ? JSON.stringify(result, null, 2)
        : `${result.tier} ${result.provider}:${result.model} answered "${result.answer}" in ${result.latencyMs} ms (${result.inputTokens}+${result.outputTokens} tokens, ${formatUsd(result.costUsd)}). Route: ${result.reason}.`,
    );
    return 0;
  },
};

export const usageCommand: CliCommand = {
  summary: 'Show model spend from the cost ledger: today, the last 14 days, per tier and provider.',
  usage: 'qlp usage [--json]',
  help: {
    flags: [['--json', 'Print one JSON document: today, by day, by tier and provider, budgets.']],
    examples: ['qlp usage --json'],
    env: ['QLP_HOME', 'QLP_BUDGET_PER_GENERATION_USD', 'QLP_BUDGET_PER_DAY_USD'],
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('usage', args, { json: { type: 'boolean' } });
    if (positionals.length) throw new UsageError(`usage takes no arguments, got '${positionals[0]}'.`);
    const { settings } = environmentModels(io);
    const summary = await new Ledger(ledgerFile(defaultStorageDir(io.env))).summary(new Date(), settings.budgets);
    if (values.json) {
      io.out(JSON.stringify(summary, null, 2));
      return 0;
    }
    const t = summary.todayTotals;
    const lines = [
      `Today (${summary.today}): ${formatUsd(t.costUsd)} in ${counted(t.calls, 'call')}, ${t.inputTokens + t.outputTokens} tokens; daily budget ${summary.budgets.perDayUsd > 0 ? formatUsd(summary.budgets.perDayUsd) : 'none'}.`,
      ...(summary.last ? [`Last model: ${summary.last.tier} ${summary.last.provider}:${summary.last.model}`] : []),
      'Last 14 days:',
      ...summary.byDay.filter((d) => d.calls > 0).map((d) => `  ${d.day}  ${formatUsd(d.costUsd).padStart(9)}  ${counted(d.calls, 'call')}`),
      'By tier:',
      ...Object.entries(summary.byTier).map(([tier, s]) => `  ${tier}  ${formatUsd(s.costUsd).padStart(9)}  ${counted(s.calls, 'call')}`),
      'By provider:',
      ...Object.entries(summary.byProvider).map(([provider, s]) => `  ${provider.padEnd(9)} ${formatUsd(s.costUsd).padStart(9)}  ${counted(s.calls, 'call')}`),
    ];
    io.out(lines.join('\n'));
    return 0;
  },
};
