// The command registry: one factory per command, typed by the ids in ./ids.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Secrets } from '../secrets';
import { commandIds, type CommandName } from './ids';
import { askToFix } from './askToFix';
import { compareVersions, compareWithFolder, compareWithPrevious } from './compareCapsule';
import { exportCapsule } from './exportCapsule';
import { generateProject } from './generateProject';
import { importCapsule } from './importCapsule';
import { deleteCapsule, renameCapsule, tagVersion } from './manageCapsule';
import { restartServer } from './restartServer';
import { pullCapsule, pushCapsule } from './syncCapsule';
import { runTestsInSandbox } from './runTestsInSandbox';
import { semanticSearch } from './semanticSearch';
import { setApiKey } from './setApiKey';
import { restoreVersion } from './restoreVersion';
import { showOutput } from './showOutput';
import { snapshotFolder } from './snapshotFolder';
import { testModels } from './testModels';
import { validateWorkspace } from './validateWorkspace';

export interface CommandDeps {
  ctx: Ctx;
  secrets: Secrets;
  /** Asks views that show server information to refresh. */
  refreshStatus(): void;
  /** Asks the Capsules view to reload. */
  refreshCapsules(): void;
  /** Where sandboxed test runs print their output. */
  sandboxOutput: vscode.OutputChannel;
  /** The extension's folder, for webview assets. */
  extensionUri: vscode.Uri;
}

type CommandFactory = (deps: CommandDeps) => (...args: unknown[]) => unknown;

const factories: Record<CommandName, CommandFactory> = {
  restartServer,
  showOutput,
  refreshStatus: (deps) => () => deps.refreshStatus(),
  setApiKey,
  testModels,
  exportCapsule,
  snapshotFolder,
  importCapsule,
  refreshCapsules: (deps) => () => deps.refreshCapsules(),
  compareWithPrevious,
  compareWithFolder,
  compareVersions,
  restoreVersion,
  renameCapsule,
  tagVersion,
  deleteCapsule,
  validateWorkspace,
  runTestsInSandbox,
  askToFix,
  generateProject,
  pushCapsule,
  pullCapsule,
  semanticSearch,
};

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return (Object.keys(factories) as CommandName[]).map((name) => vscode.commands.registerCommand(commandIds[name], factories[name](deps)));
}
