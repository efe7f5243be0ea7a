// Spawns the built language server over stdio and speaks LSP to it, like any other LSP client.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { requireBuilt, serverPath } from './paths';

export interface LspProcess {
  child: ChildProcessWithoutNullStreams;
  connection: MessageConnection;
  stderr(): string;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
}

export function spawnServer(env: NodeJS.ProcessEnv = process.env): LspProcess {
  const child = spawn(process.execPath, [requireBuilt(serverPath), '--stdio'], { env, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  return { child, connection, stderr: () => stderr, exited };
}

export function initializeParams(initializationOptions: unknown = {}) {
  return {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions,
    clientInfo: { name: 'qlp-black-box-test' },
  };
}
