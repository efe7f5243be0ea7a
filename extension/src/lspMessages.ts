// The extension's side of the custom messages of protocol/lsp.ts: it sends what the server
// handles and handles what the server sends, over the LanguageClient, typed by the messages'
// descriptors (Ctx.request adds work-done progress on top).
import { messagesOf } from '../../protocol/lspEndpoint';

export const { request, notify, onRequest, onNotification } = messagesOf<'client'>();
