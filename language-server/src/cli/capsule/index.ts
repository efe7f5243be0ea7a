// `qlp capsule <subcommand>`: versioned snapshots of folders, their history, and archives.
import type { CliCommand } from '../command';
import { UsageError } from '../errors';
import { createUsage, runCreate } from './create';
import { diffUsage, runDiff } from './diff';
import { listUsage, runList, runShow, showUsage } from './list';
import { restoreUsage, runRestore } from './restore';
import { pullUsage, pushUsage, runPull, runPush } from './sync';
import { exportUsage, importUsage, runExport, runImport } from './transfer';
import { runVerify, verifyUsage } from './verify';

const subcommands = {
  create: { usage: createUsage, run: runCreate },
  list: { usage: listUsage, run: runList },
  show: { usage: showUsage, run: runShow },
  diff: { usage: diffUsage, run: runDiff },
  restore: { usage: restoreUsage, run: runRestore },
  export: { usage: exportUsage, run: runExport },
  import: { usage: importUsage, run: runImport },
  push: { usage: pushUsage, run: runPush },
  pull: { usage: pullUsage, run: runPull },
  verify: { usage: verifyUsage, run: runVerify },
} as const;

type Subcommand = keyof typeof subcommands;

export const capsuleCommand: CliCommand = {
  summary: 'Snapshot folders as versioned capsules; list, show, diff, restore, export, import, push, pull and verify them.',
  usage: Object.values(subcommands)
    .map((s, i) => `${i === 0 ? '' : '       '}${s.usage}`)
    .join('\n'),
  async run(args, io) {
    const [name, ...rest] = args;
    if (name === undefined) throw new UsageError(`name a subcommand: ${Object.keys(subcommands).join(', ')}; see 'qlp capsule --help'.`);
    if (!Object.hasOwn(subcommands, name)) throw new UsageError(`unknown capsule subcommand '${name}'; see 'qlp capsule --help'.`);
    return subcommands[name as Subcommand].run(rest, io);
  },
};
