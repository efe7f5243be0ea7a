// Wires LSP handlers to the engine; holds no engine logic of its own.
import { RequestType0, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import { serverRequests, type HealthReport } from '../../protocol/lsp';
import { providersFromEnvironment } from './llm/providerEnvironment';
import { probeMachine } from './machine/report';
import { defaultStorageDir } from './machine/storage';
import { qlpVersion } from './version';

/** What the extension passes in `initializationOptions` (never secrets). */
export interface InitializationOptions {
  /** A folder the server may write to (the extension's workspace storage). */
  storageDir?: string;
}

const startedAt = Date.now();

export function wireServer(connection: Connection): void {
  let storageDir = defaultStorageDir();

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof options.storageDir === 'string' && options.storageDir) storageDir = options.storageDir;
    return {
      capabilities: {},
      serverInfo: { name: 'qlp', version: qlpVersion },
    };
  });

  connection.onRequest(new RequestType0<HealthReport, void>(serverRequests.health.method), async () => ({
    version: qlpVersion,
    uptimeMs: Date.now() - startedAt,
    pid: process.pid,
    machine: await probeMachine({ env: process.env, storageDir, providers: providersFromEnvironment(process.env) }),
  }));
}
