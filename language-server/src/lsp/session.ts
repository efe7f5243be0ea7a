// What the editor said when it started the server (storage folder, workspace root, trust), and
// what it answers later: its settings (when it offers workspace/configuration) and the keys of
// its SecretStorage (when it said it answers `qlp/secrets/get`). Every handler reads them here.
import { fileURLToPath } from 'node:url';
import type { Connection, InitializeParams } from 'vscode-languageserver/node';
import { clientRequests, type SecretTargetId } from '../../../protocol/lsp';
import { defaultStorageDir } from '../machine/storage';
import { request } from './messages';

/** What the extension passes in `initializationOptions` (never secrets). */
export interface InitializationOptions {
  /** A folder the server may write to (the extension's workspace storage). */
  storageDir?: string;
  /** True when the client answers `qlp/secrets/get` from its SecretStorage. */
  secrets?: boolean;
  /** True when the editor's built-in TypeScript extension is enabled (it type-checks open files). */
  builtinTypeScript?: boolean;
  /**
   * True when the user trusts the workspace (VS Code's Workspace Trust). Without it the workspace
   * is untrusted: nothing from it is imported or executed (ESLint configs and plugins, its tests).
   */
  workspaceTrusted?: boolean;
}

/** The editor's settings under a section (`qlp` by default), or undefined when it offers none. */
export type EditorSettings = <T = Record<string, unknown>>(section?: string) => Promise<T | undefined>;

/** The workspace root: the first workspace folder (or the root URI), when it is a local folder. */
function workspaceRoot(params: InitializeParams): string | undefined {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  return uri?.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

export class EditorSession {
  storageDir = defaultStorageDir();
  root: string | undefined;
  /** Workspace Trust: untrusted until the editor says otherwise. */
  trusted = false;
  private answersSecrets = false;
  private hasConfiguration = false;

  constructor(private readonly connection: Connection) {}

  initialize(params: InitializeParams): void {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof options.storageDir === 'string' && options.storageDir) this.storageDir = options.storageDir;
    this.answersSecrets = options.secrets === true;
    this.hasConfiguration = params.capabilities.workspace?.configuration === true;
    this.root = workspaceRoot(params);
    this.trusted = options.workspaceTrusted === true;
  }

  readonly settings: EditorSettings = async (section = 'qlp') => (this.hasConfiguration ? this.connection.workspace.getConfiguration(section) : undefined);

  /** A key from the editor's SecretStorage; undefined when it has none or does not answer. */
  readonly key = async (target: SecretTargetId): Promise<string | undefined> =>
    this.answersSecrets ? (await request(this.connection, clientRequests.secret, { provider: target })).key : undefined;
}
