// The server's side of the custom messages of protocol/lsp.ts: it handles what the client sends
// and sends what the client handles, over its Connection, typed by the messages' descriptors.
// Requests that run an engine service are answered through handle.ts (cancel, progress, errors).
import { messagesOf } from '../../../protocol/lspEndpoint';

export const { request, notify, onRequest, onNotification } = messagesOf<'server'>();
