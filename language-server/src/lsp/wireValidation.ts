// Wires validation into the LSP connection: document events in, diagnostics and code actions
// out, `qlp/validate/workspace` with progress. Holds no validation logic of its own.
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  TextDocuments,
  type CodeAction,
  type CodeActionParams,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { clientNotifications, serverNotifications, serverRequests, type EditorLinter, type ValidationInitOptions } from '../../../protocol/lsp';
import type { UnscoredStage } from '../../../protocol/validate';
import { handle } from './handle';
import { notify, onNotification } from './messages';
import type { EditorSettings } from './session';
import { askQlpAction, disableActions, fixAllAction, fixAllKind, quickFixes, toDiagnostic } from './lspConvert';
import type { RunTests } from '../validate/stages/tests';
import { ValidationService } from '../validate/service';
import { validationSettings, type ValidationSettings } from '../validate/settings';
import { ValidationHost } from '../validate/validationHost';

/** The other linters the editor says are active, keeping only well-formed entries. */
function editorLinters(value: unknown): EditorLinter[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (l): l is EditorLinter => !!l && typeof l === 'object' && typeof l.tool === 'string' && typeof l.extension === 'string' && Array.isArray(l.languages),
  );
}

function pathOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

export interface WiredValidation {
  capabilities: ServerCapabilities;
  initialize(params: InitializeParams): void;
  /** Workspace Trust: untrusted, nothing of the workspace is imported or run (see server.ts). */
  setTrusted(trusted: boolean): void;
  /** The stages the latest validations could not check, and why. */
  notChecked(): UnscoredStage[];
  dispose(): Promise<void>;
}

/** `runTests` runs a folder's tests in the sandbox for workspace validation's tests stage. */
export function wireValidation(connection: Connection, editorSettings: EditorSettings, runTests?: RunTests): WiredValidation {
  const documents = new TextDocuments(TextDocument);
  const service = new ValidationService(undefined, runTests);
  let cached: Promise<ValidationSettings> | undefined;
  const settings = () =>
    (cached ??= editorSettings('qlp.validate').then(
      (s) => validationSettings(s),
      () => validationSettings(undefined),
    ));

  const host = new ValidationHost({
    validate: (input, signal, progress) => service.validate(input, signal, progress),
    settings,
    publish: (absPath, findings) => void connection.sendDiagnostics({ uri: pathToFileURL(absPath).href, diagnostics: findings.map(toDiagnostic) }),
    log: (message) => connection.console.warn(message),
  });

  documents.onDidOpen(({ document }) => {
    const path = pathOf(document.uri);
    if (path) host.opened(path, document.getText(), document.languageId);
  });
  documents.onDidChangeContent(({ document }) => {
    const path = pathOf(document.uri);
    // The first content event of a document is its opening, handled above.
    if (path && document.version > 1) void host.changed(path, document.getText());
  });
  documents.onDidSave(({ document }) => {
    const path = pathOf(document.uri);
    if (path) host.saved(path);
  });
  documents.onDidClose(({ document }) => {
    const path = pathOf(document.uri);
    if (path) host.closed(path);
  });
  documents.listen(connection);

  connection.onDidChangeConfiguration(() => {
    cached = undefined;
    host.settingsChanged();
  });
  onNotification(connection, serverNotifications.editorLinters, (params) => host.setEditorLinters(editorLinters(params?.linters)));

  connection.onCodeAction((params) => codeActions(params, host, documents));

  handle(connection, serverRequests.validateWorkspace, async (params, c) => ({
    folders: await host.validateWorkspace(
      params?.stages,
      c.signal ?? new AbortController().signal,
      (message) => void notify(connection, clientNotifications.validateProgress, { message }),
    ),
  }));

  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind] },
    },
    initialize(params) {
      const options = params.initializationOptions as Record<keyof ValidationInitOptions, unknown> | undefined;
      host.setBuiltinTypeScript(options?.builtinTypeScript === true);
      host.setEditorLinters(editorLinters(options?.editorLinters));
      const folders = params.workspaceFolders?.map((f) => pathOf(f.uri)) ?? [params.rootUri ? pathOf(params.rootUri) : (params.rootPath ?? undefined)];
      host.setRoots(folders.filter((f): f is string => !!f));
    },
    setTrusted: (trusted) => host.setTrusted(trusted),
    notChecked: () => host.notChecked(),
    async dispose() {
      host.dispose();
      await service.dispose();
    },
  };
}

/** Quick fixes, "fix all" (as a source action too), "Ask QLP to fix" and the disable comments. */
function codeActions({ textDocument, context }: CodeActionParams, host: ValidationHost, documents: TextDocuments<TextDocument>): CodeAction[] {
  const path = pathOf(textDocument.uri);
  if (!path) return [];
  const wants = (kind: string) => context.only?.some((k) => kind === k || kind.startsWith(`${k}.`)) ?? false;
  const actions = !context.only || wants(CodeActionKind.QuickFix) ? quickFixes(textDocument.uri, context.diagnostics) : [];
  // "Fix all" as a source action (Source Action…, code actions on save) and beside a quick fix.
  const fixAllAs = wants(fixAllKind) ? fixAllKind : actions.length ? CodeActionKind.QuickFix : undefined;
  const fixAll = fixAllAs ? fixAllAction(textDocument.uri, host.findingsOf(path), fixAllAs) : undefined;
  if (fixAll) actions.push(fixAll);
  const quick = !context.only || wants(CodeActionKind.QuickFix);
  const askQlp = quick ? askQlpAction(textDocument.uri, context.diagnostics) : undefined;
  if (askQlp) actions.push(askQlp);
  if (quick) {
    const doc = documents.get(textDocument.uri);
    actions.push(...disableActions(textDocument.uri, doc && { text: doc.getText(), version: doc.version }, context.diagnostics));
  }
  return actions;
}
