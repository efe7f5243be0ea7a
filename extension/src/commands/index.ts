// The command registry: one factory per command, typed by the ids in ./ids.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Secrets } from '../secrets';
import { commandIds, type CommandName } from './ids';
import { restartServer } from './restartServer';
import { runTestsInSandbox } from './runTestsInSandbox';
import { setApiKey } from './setApiKey';
import { showOutput } from './showOutput';
import { testModels } from './testModels';

export interface CommandDeps {
  ctx: Ctx;
  secrets: Secrets;
  /** Asks views that show server information to refresh. */
  refreshStatus(): void;
  /** Where sandboxed test runs print their output. */
  sandboxOutput: vscode.OutputChannel;
}

type CommandFactory = (deps: CommandDeps) => (...args: unknown[]) => unknown;

const factories: Record<CommandName, CommandFactory> = {
  restartServer,
  showOutput,
  refreshStatus: (deps) => () => deps.refreshStatus(),
  setApiKey,
  testModels,
  runTestsInSandbox,
};

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return (Object.keys(factories) as CommandName[]).map((name) =>
    vscode.commands.registerCommand(commandIds[name], factories[name](deps)),
  );
}
