// `qlp capsule <subcommand>`: versioned snapshots of folders, their history, and archives.
import type { CliCommand, CliIo, CommandHelp } from '../command';
import { sandboxEnvironment } from '../environment';
import { UsageError } from '../errors';
import { didYouMean } from '../suggest';
import { createUsage, runCreate } from './create';
import { diffUsage, runDiff } from './diff';
import { listUsage, runList, runShow, showUsage } from './list';
import { restoreUsage, runRestore } from './restore';
import { pullUsage, pushUsage, runPull, runPush } from './sync';
import { exportUsage, importUsage, runExport, runImport } from './transfer';
import { runVerify, verifyUsage } from './verify';

const json = ['--json', 'Print one JSON document with the result.'] as const;
const includeSecrets = ['--include-secrets', 'Keep files that look like they hold a secret (left out by default, one line each on stderr).'] as const;
const ref = "<id[@version]> is an id from 'qlp capsule list', optionally @version (default: the latest).";

const subcommands = {
  create: {
    summary: 'Record a folder as a new version of its capsule (created on first use).',
    usage: createUsage,
    help: {
      flags: [['--name <name>', "Name the capsule (default: the folder's name); renames an existing one."], includeSecrets, json],
      examples: ['qlp capsule create ./my-app --name "My app"'],
      env: ['QLP_HOME'],
    },
    run: runCreate,
  },
  list: {
    summary: "List the workspace's capsules, most recently changed first.",
    usage: listUsage,
    help: { flags: [json], examples: ['qlp capsule list --json'], env: ['QLP_HOME'] },
    run: runList,
  },
  show: {
    summary: `Show a capsule's versions and a version's manifest; ${ref}`,
    usage: showUsage,
    help: { flags: [json], examples: ['qlp capsule show my-app-3f9a2c@2'], env: ['QLP_HOME'] },
    run: runShow,
  },
  diff: {
    summary: 'Compare a version with its folder as it is now, or with another version.',
    usage: diffUsage,
    help: { flags: [json], examples: ['qlp capsule diff my-app-3f9a2c@1', 'qlp capsule diff my-app-3f9a2c@1 my-app-3f9a2c@2 --json'], env: ['QLP_HOME'] },
    run: runDiff,
  },
  restore: {
    summary: "Make the capsule's folder hold a version's files (the folder is recorded first, so nothing is lost).",
    usage: restoreUsage,
    help: { flags: [json], examples: ['qlp capsule restore my-app-3f9a2c@1'], env: ['QLP_HOME'] },
    run: runRestore,
  },
  export: {
    summary: 'Write a version to a zip, tar or tgz archive (never replaces a file).',
    usage: exportUsage,
    help: {
      flags: [['--format zip|tar|tgz', 'The archive format (default: from the --out name).'], ['--out <file>', 'The archive to write.'], includeSecrets, json],
      examples: ['qlp capsule export my-app-3f9a2c --out my-app.zip'],
      env: ['QLP_HOME'],
    },
    run: runExport,
  },
  import: {
    summary: 'Unpack a capsule archive into a new folder, every entry and hash checked, and record it.',
    usage: importUsage,
    help: {
      flags: [['--out <dir>', "The new folder (default: the archive's name without its extension)."], json],
      examples: ['qlp capsule import my-app.zip --out my-app-copy'],
      env: ['QLP_HOME'],
    },
    run: runImport,
  },
  push: {
    summary: 'Send a version to a team backend (only the files it lacks).',
    usage: pushUsage,
    help: {
      flags: [['--server <url>', "The team backend's URL."], includeSecrets, json],
      examples: ['QLP_API_KEY=… qlp capsule push my-app-3f9a2c --server https://qlp.example.com'],
      env: ['QLP_API_KEY', 'QLP_HOME'],
    },
    run: runPush,
  },
  pull: {
    summary: 'Fetch a version from a team backend into a new folder, every hash checked.',
    usage: pullUsage,
    help: {
      flags: [['--server <url>', "The team backend's URL."], ['--out <dir>', 'The new folder (default: the capsule id).'], json],
      examples: ['QLP_API_KEY=… qlp capsule pull my-app-3f9a2c --server https://qlp.example.com --out my-app'],
      env: ['QLP_API_KEY', 'QLP_HOME'],
    },
    run: runPull,
  },
  verify: {
    summary: "Check a version's test receipts against its files (exit 0 intact, 1 not).",
    usage: verifyUsage,
    help: {
      flags: [['--rerun', 'Run the tests again in the sandbox and compare.'], ['--sandbox auto|docker|bwrap', 'The sandbox of --rerun.'], json],
      examples: ['qlp capsule verify my-app-3f9a2c@2 --rerun'],
      env: ['QLP_HOME', ...sandboxEnvironment],
    },
    run: runVerify,
  },
} satisfies Record<string, { summary: string; usage: string; help: CommandHelp; run: (args: string[], io: CliIo) => Promise<number> }>;

type Subcommand = keyof typeof subcommands;

export const capsuleCommand: CliCommand = {
  summary: 'Snapshot folders as versioned capsules; list, show, diff, restore, export, import, push, pull and verify them.',
  usage: Object.values(subcommands)
    .map((s, i) => `${i === 0 ? '' : '       '}${s.usage}`)
    .join('\n'),
  help: { flags: [json], examples: ['qlp capsule create .', 'qlp capsule list'], env: ['QLP_HOME'] },
  subcommands,
  async run(args, io) {
    const [name, ...rest] = args;
    if (name === undefined) throw new UsageError(`name a subcommand: ${Object.keys(subcommands).join(', ')}; see 'qlp capsule --help'.`);
    if (!Object.hasOwn(subcommands, name))
      throw new UsageError(`unknown capsule subcommand '${name}'${didYouMean(name, Object.keys(subcommands))}; see 'qlp capsule --help'.`);
    return subcommands[name as Subcommand].run(rest, io);
  },
};
