// Sends and handles lsp.ts's custom messages over a JSON-RPC endpoint (the extension's
// LanguageClient, the server's Connection, or a bare vscode-jsonrpc connection), typed by their
// descriptors: a call site names a message and never restates its types. Each side takes the
// helpers of its own direction (`messagesOf`), so it sends only what the other side handles.
// No run-time import: messages go by method name, so both bundles share this code as it is.
import type { NotificationDescriptor, NotificationParamsOf, ParamsOf, Receiver, RequestDescriptor, ResultOf } from './lsp';

/** A cancellation token as vscode-jsonrpc and VS Code both shape it. */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export interface DisposableLike {
  dispose(): void;
}

/** What the helpers use of a connection; LanguageClient, Connection and MessageConnection all have it. */
export interface Endpoint {
  sendRequest<R>(method: string, token?: CancellationTokenLike): Promise<R>;
  sendRequest<R>(method: string, params: unknown, token?: CancellationTokenLike): Promise<R>;
  sendNotification(method: string, params?: unknown): Promise<void>;
  onRequest(method: string, handler: (...args: unknown[]) => unknown): DisposableLike;
  onNotification(method: string, handler: (...args: unknown[]) => void): DisposableLike;
}

type Peer<Me extends Receiver> = Me extends 'server' ? 'client' : 'server';

export type RequestHandler<D> = (params: ParamsOf<D>, token: CancellationTokenLike) => ResultOf<D> | Promise<ResultOf<D>>;

/** The helpers of the side `Me`: it sends the messages `Peer<Me>` handles and handles its own. */
export interface Messages<Me extends Receiver> {
  /** Sends a request; resolves with its result, rejects with the handler's error (a ResponseError). */
  request<D extends RequestDescriptor<unknown, unknown, Peer<Me>>>(
    to: Endpoint,
    descriptor: D,
    params: ParamsOf<D>,
    token?: CancellationTokenLike,
  ): Promise<ResultOf<D>>;
  notify<D extends NotificationDescriptor<unknown, Peer<Me>>>(to: Endpoint, descriptor: D, params: NotificationParamsOf<D>): Promise<void>;
  /** Answers a request; a thrown ResponseError reaches the sender as it is. */
  onRequest<D extends RequestDescriptor<unknown, unknown, Me>>(from: Endpoint, descriptor: D, handler: RequestHandler<D>): DisposableLike;
  onNotification<D extends NotificationDescriptor<unknown, Me>>(
    from: Endpoint,
    descriptor: D,
    handler: (params: NotificationParamsOf<D>) => void,
  ): DisposableLike;
}

// vscode-jsonrpc sends an `undefined` parameter as `[null]` and an `undefined` token as a second
// parameter, so both are left out when absent: a request without params carries none. (The
// language client passes a notification's params on even when undefined, so every notification
// of lsp.ts has params.)
function sendRequest(to: Endpoint, method: string, params: unknown, token?: CancellationTokenLike): Promise<unknown> {
  if (params === undefined) return token ? to.sendRequest(method, token) : to.sendRequest(method);
  return token ? to.sendRequest(method, params, token) : to.sendRequest(method, params);
}

// A handler registered by method name gets the params (none when the message had none, spread
// when they were positional), then, for a request, the cancellation token.
const paramsOf = (args: unknown[]): unknown => (args.length <= 1 ? args[0] : args);

const helpers: Messages<Receiver> = {
  request: (to, descriptor, params, token) => sendRequest(to, descriptor.method, params, token) as Promise<never>,
  notify: (to, descriptor, params) => (params === undefined ? to.sendNotification(descriptor.method) : to.sendNotification(descriptor.method, params)),
  onRequest: (from, descriptor, handler) =>
    from.onRequest(descriptor.method, (...args: unknown[]) => {
      const token = args.pop() as CancellationTokenLike;
      return handler(paramsOf(args) as never, token);
    }),
  onNotification: (from, descriptor, handler) => from.onNotification(descriptor.method, (...args: unknown[]) => handler(paramsOf(args) as never)),
};

export function messagesOf<Me extends Receiver>(): Messages<Me> {
  return helpers as Messages<Receiver> as Messages<Me>;
}
