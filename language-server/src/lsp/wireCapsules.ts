// Wires capsules and team sync to LSP. Capsules live with the workspace in QLP's data folder
// (QLP_HOME or XDG), where the command line finds them too: not in the extension's own storage.
// The engine (archive libraries, zod) is loaded on the first capsule request, not at server
// start; team sync asks the editor for the backend's key only when a request needs it.
import type { Connection } from 'vscode-languageserver/node';
import { serverRequests as r } from '../../../protocol/lsp';
import { CapsuleInputError } from '../capsule/errors';
import type { CapsuleService } from '../capsule/service';
import { defaultStorageDir } from '../machine/storage';
import { SyncHost } from '../sync/syncHost';
import { handle } from './handle';
import type { EditorSession } from './session';

export interface WiredCapsules {
  /** Once the client is ready: pushes queued while the backend was unreachable are retried later. */
  start(): void;
  dispose(): void;
}

export function wireCapsules(connection: Connection, session: EditorSession): WiredCapsules {
  let capsules: Promise<CapsuleService> | undefined;
  const capsuleService = (): Promise<CapsuleService> => {
    if (!session.root) return Promise.reject(new CapsuleInputError('Open a folder in VS Code to use capsules.'));
    const workspace = session.root;
    capsules ??= import('../capsule/service.js')
      .then(({ CapsuleService }) => CapsuleService.open(defaultStorageDir(process.env), workspace))
      .then(
        (service) => {
          void service.tidy();
          return service;
        },
        (err) => {
          capsules = undefined;
          throw err;
        },
      );
    return capsules;
  };
  const sync = new SyncHost({
    capsules: capsuleService,
    env: process.env,
    editorSettings: session.settings,
    editorKey: () => session.key('backend'),
    onNotice: (message) => void connection.window.showWarningMessage(message),
  });

  handle(connection, r.capsuleList, async () => ({ capsules: await (await capsuleService()).list() }));
  handle(connection, r.capsuleShow, async (p) => (await capsuleService()).show(p));
  handle(connection, r.capsuleFindSecrets, async (p, c) => ({ findings: await (await capsuleService()).findSecrets(p, c) }));
  handle(connection, r.capsuleCreate, async (p, c) => (await capsuleService()).create(p, c));
  handle(connection, r.capsuleDiff, async (p, c) => (await capsuleService()).diff(p, c));
  handle(connection, r.capsuleReadFile, async (p) => (await capsuleService()).readFile(p));
  handle(connection, r.capsuleRestore, async (p, c) => (await capsuleService()).restore(p, c));
  handle(connection, r.capsuleExport, async (p, c) => (await capsuleService()).export(p, c));
  handle(connection, r.capsuleImport, async (p, c) => (await capsuleService()).import(p, c));
  handle(connection, r.capsuleRename, async (p) => (await capsuleService()).rename(p));
  handle(connection, r.capsuleTag, async (p) => (await capsuleService()).tag(p));
  handle(connection, r.capsuleDelete, async (p) => (await capsuleService()).delete(p));
  handle(connection, r.syncPush, (p, c) => sync.push(p, c));
  handle(connection, r.syncPull, (p, c) => sync.pull(p, c));
  handle(connection, r.teamList, (p, c) => sync.team(p?.query, c));

  return { start: () => sync.resumeLater(), dispose: () => sync.dispose() };
}
