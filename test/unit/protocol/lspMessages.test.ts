// The typed message helpers of both sides over a real stream pair: the extension's helpers on a
// vscode-jsonrpc connection, the server's on vscode-languageserver's Connection, JSON-RPC frames
// between them. The lines marked @ts-expect-error are checked by `tsc -b`: each must not compile.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  CancellationTokenSource,
  createMessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { createConnection, LSPErrorCodes, type Connection } from 'vscode-languageserver/node';
import { clientNotifications, clientRequests, serverNotifications, serverRequests, type EditorLinter } from '../../../protocol/lsp';
import * as editor from '../../../extension/src/lspMessages';
import * as server from '../../../language-server/src/lsp/messages';
import { handle } from '../../../language-server/src/lsp/handle';
import { GenerationInputError } from '../../../language-server/src/generate/errors';

interface Pair {
  client: MessageConnection;
  server: Connection;
  /** The raw frames the client wrote, as they went over the stream. */
  sent: string[];
}

function connectedPair(): Pair {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const sent: string[] = [];
  toServer.on('data', (chunk: Buffer) => sent.push(chunk.toString('utf8')));
  const serverEnd = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const clientEnd = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  serverEnd.listen();
  clientEnd.listen();
  return { client: clientEnd, server: serverEnd, sent };
}

/** The JSON body of the frame that carried `method`. */
function frameOf(sent: string[], method: string): Record<string, unknown> {
  const bodies = sent
    .join('')
    .split(/Content-Length: \d+\r\n\r\n/)
    .filter(Boolean);
  const body = bodies.map((b) => JSON.parse(b) as Record<string, unknown>).find((m) => m.method === method);
  assert.ok(body, `no frame for ${method}`);
  return body;
}

describe('typed LSP messages over a stream pair', () => {
  let pair: Pair;
  before(() => {
    pair = connectedPair();
  });
  after(() => {
    pair.client.dispose();
    pair.server.dispose();
  });

  it('carries a request with params and its result, client to server', async () => {
    const folder = join(tmpdir(), 'invoices');
    server.onRequest(pair.server, serverRequests.capsuleRename, ({ id, name }) => ({ id, name, folder, latest: 1, versions: [] }));
    const renamed = await editor.request(pair.client, serverRequests.capsuleRename, { id: 'c1', name: 'Invoices' });
    assert.deepEqual(renamed, { id: 'c1', name: 'Invoices', folder, latest: 1, versions: [] });
    assert.deepEqual(frameOf(pair.sent, 'qlp/capsule/rename').params, { id: 'c1', name: 'Invoices' });
  });

  it('sends a request without params as one without params, and its handler gets none', async () => {
    let received: unknown = 'not called';
    server.onRequest(pair.server, serverRequests.generateStacks, (params) => {
      received = params;
      return { stacks: [], defaultStack: 'node-cli' };
    });
    assert.deepEqual(await editor.request(pair.client, serverRequests.generateStacks, undefined), { stacks: [], defaultStack: 'node-cli' });
    assert.equal(received, undefined);
    assert.equal('params' in frameOf(pair.sent, 'qlp/generate/stacks'), false);
  });

  it('carries a notification client to server, and a request and a notification server to client', async () => {
    const linters: EditorLinter[] = [{ tool: 'eslint', extension: 'dbaeumer.vscode-eslint', languages: ['javascript'] }];
    const told = new Promise<EditorLinter[]>((resolve) => server.onNotification(pair.server, serverNotifications.editorLinters, (p) => resolve(p.linters)));
    await editor.notify(pair.client, serverNotifications.editorLinters, { linters });
    assert.deepEqual(await told, linters);

    editor.onRequest(pair.client, clientRequests.secret, ({ provider }) => (provider === 'anthropic' ? { key: 'sk-ant-test' } : {}));
    assert.deepEqual(await server.request(pair.server, clientRequests.secret, { provider: 'anthropic' }), { key: 'sk-ant-test' });
    assert.deepEqual(await server.request(pair.server, clientRequests.secret, { provider: 'backend' }), {});

    const event = new Promise<unknown>((resolve) => editor.onNotification(pair.client, clientNotifications.generateEvent, resolve));
    await server.notify(pair.server, clientNotifications.generateEvent, { runId: 'r1', event: { kind: 'text', path: 'src/a.ts', delta: 'export' } });
    assert.deepEqual(await event, { runId: 'r1', event: { kind: 'text', path: 'src/a.ts', delta: 'export' } });
  });

  it('answers a cancelled request with RequestCancelled once its handler saw the abort', async () => {
    let aborted = false;
    handle(
      pair.server,
      serverRequests.indexRebuild,
      (_p, control) => new Promise((_resolve, reject) => control.signal?.addEventListener('abort', () => ((aborted = true), reject(new Error('stopped'))))),
    );
    const source = new CancellationTokenSource();
    const rebuild = editor.request(pair.client, serverRequests.indexRebuild, {}, source.token);
    setTimeout(() => source.cancel(), 20);
    await assert.rejects(rebuild, (err: unknown) => err instanceof ResponseError && err.code === LSPErrorCodes.RequestCancelled);
    assert.equal(aborted, true);
  });

  it("passes a failed request's one sentence and its kind to the sender", async () => {
    handle(pair.server, serverRequests.fixFindings, async () => {
      throw new GenerationInputError('Give the document and the findings to fix.');
    });
    const fix = editor.request(pair.client, serverRequests.fixFindings, { uri: 'file:///a.ts', text: '', findings: [] });
    await assert.rejects(
      fix,
      (err: unknown) =>
        err instanceof ResponseError &&
        err.code === LSPErrorCodes.RequestFailed &&
        err.message === 'Give the document and the findings to fix.' &&
        (err.data as { kind: string }).kind === 'GenerationInputError',
    );
  });
});

/** Never run: `tsc -b` fails if any line below it marks compiles. */
export function wrongMessagesDoNotCompile(client: MessageConnection, connection: Connection): void {
  // @ts-expect-error a rename needs the new name
  void editor.request(client, serverRequests.capsuleRename, { id: 'c1' });
  // @ts-expect-error params of another request
  void editor.request(client, serverRequests.search, { id: 'c1', name: 'x' });
  // @ts-expect-error the result is the declared one, not what the caller wishes
  void editor.request(client, serverRequests.generateStacks, undefined).then((stacks: string[]) => stacks);
  // @ts-expect-error a handler must return the declared result
  server.onRequest(connection, serverRequests.generateStacks, () => ({ stacks: 'node-cli' }));
  // @ts-expect-error the client does not send what the client handles
  void editor.request(client, clientRequests.secret, { provider: 'openai' });
  // @ts-expect-error the server does not handle what it sends
  server.onNotification(connection, clientNotifications.usageChanged, () => undefined);
  // @ts-expect-error a notification is not a request
  void editor.request(client, serverNotifications.editorLinters, { linters: [] });
  // @ts-expect-error a notification's params are its own
  void server.notify(connection, clientNotifications.budgetWarning, { text: 'over budget' });
  // @ts-expect-error a provider the protocol does not know
  void server.request(connection, clientRequests.secret, { provider: 'nobody' });
}
