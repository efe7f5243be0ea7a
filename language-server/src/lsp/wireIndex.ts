// Wires the workspace index into the language server: a background index of the first
// workspace folder (in the extension's storage), kept current from file-watcher events, and the
// search, status and rebuild requests. The index itself runs in its worker thread. A remote
// embedder's endpoint comes from the editor's provider settings and its key from SecretStorage,
// asked for each time the index opens; never from the server's environment.
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import { clientNotifications, serverRequests } from '../../../protocol/lsp';
import type { IndexStatus } from '../../../protocol/search';
import { settingDefault } from '../../../protocol/settings';
import { defaultExclude } from '../index/discover';
import { embedderEndpoint, remoteKindOf, remoteProvider, type RemoteEndpoint } from '../index/embedders/remoteEmbedders';
import type { ContextChunk } from '../index/retrieve';
import type { IndexServiceOptions } from '../index/service';
import { IndexWorkerClient } from '../index/worker/indexClient';
import { modelSettingsFromEditor } from '../llm/modelSettings';
import { handle } from './handle';
import { notify } from './messages';
import type { EditorSession } from './session';

/** Watcher events are gathered this long, so a save that touches several files is one update. */
const eventDelayMs = 20;
/** Pause between batches of the background run, so the worker leaves CPU to the editor. */
const backgroundPauseMs = 10;

interface IndexSettings {
  enabled?: boolean;
  maxFileSizeKb?: number;
  exclude?: string[];
  embedder?: string;
}

export interface IndexWiring {
  start(root: string | undefined, storageDir: string, settings: () => Promise<IndexSettings | undefined>): void;
  /** Workspace context for a generation: none while there is no index (never an error). */
  retrieve(requirement: string, signal: AbortSignal): Promise<ContextChunk[]>;
  dispose(): Promise<void>;
}

/** A remote embedder's endpoint from the editor's `qlp.providers.*` settings, with its key from SecretStorage. */
async function editorEndpoint(session: EditorSession, embedder: string | undefined): Promise<RemoteEndpoint | undefined> {
  const kind = embedder ? remoteKindOf(embedder) : undefined;
  if (!kind) return undefined;
  const providers = modelSettingsFromEditor(await session.settings('qlp').catch(() => undefined)).providers;
  return embedderEndpoint(kind, providers, await session.key(remoteProvider[kind]));
}

/** The index's options as the editor has them now: read again each time the index opens. */
function editorIndexOptions(session: EditorSession, root: string, storageDir: string, settings: () => Promise<IndexSettings | undefined>) {
  return async (): Promise<IndexServiceOptions> => {
    const s = (await settings()) ?? {};
    return {
      root,
      indexDir: join(storageDir, 'index'),
      embedder: s.embedder || undefined,
      embedderEndpoint: await editorEndpoint(session, s.embedder),
      exclude: [...defaultExclude, ...(s.exclude ?? [])],
      maxFileBytes: (s.maxFileSizeKb ?? 512) * 1024,
      env: {},
    };
  };
}

export function wireIndex(connection: Connection, session: EditorSession): IndexWiring {
  let client: IndexWorkerClient | undefined;
  let root: string | undefined;
  let lastStatus: IndexStatus = { state: 'empty', files: 0, chunks: 0, embedder: settingDefault<string>('qlp.index.embedder') };
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let error: string | undefined;

  const publish = (status: IndexStatus) => {
    lastStatus = error ? { ...status, state: 'error', error } : status;
    void notify(connection, clientNotifications.indexStatus, lastStatus);
  };
  const fail = (err: unknown) => {
    error = err instanceof Error ? err.message : String(err);
    publish(lastStatus);
  };
  const ready = (): IndexWorkerClient => {
    if (!client) throw new Error(root ? 'Indexing is turned off (qlp.index.enabled).' : 'Open a folder in VS Code to search it.');
    return client;
  };

  const flush = () => {
    timer = undefined;
    const paths = [...pending];
    pending = new Set();
    if (paths.length && client) client.call('updateFiles', { paths }).then(publish, fail);
  };

  connection.onDidChangeWatchedFiles((params) => {
    if (!client || !root) return;
    for (const change of params.changes) {
      if (!change.uri.startsWith('file:')) continue;
      const rel = relative(root, fileURLToPath(change.uri));
      if (!rel || rel.startsWith('..')) continue;
      pending.add(rel.split(sep).join('/'));
    }
    timer ??= setTimeout(flush, eventDelayMs);
  });

  const r = serverRequests;
  handle(connection, r.search, async (p, c) => ({ results: await ready().call('search', { query: p.query, limit: p.limit }, c.signal) }));
  handle(connection, r.indexStatus, async () => lastStatus);
  handle(connection, r.indexRebuild, async (_p, c) => {
    error = undefined;
    // Opened again first: a re-index takes the current settings and key.
    await ready()
      .reopen()
      .catch((err: unknown) => {
        fail(err);
        throw err;
      });
    const status = await ready().call('rebuild', {}, c.signal, (p) => c.onProgress?.(p));
    publish(status);
    return status;
  });

  return {
    start(folder, storageDir, settings) {
      root = folder;
      if (!folder) return;
      void settings()
        .then(async (s = {}) => {
          if (s.enabled === false) return;
          client = new IndexWorkerClient(editorIndexOptions(session, folder, storageDir, settings), publish);
          const { status, notice } = await client.open();
          if (notice) void connection.window.showWarningMessage(notice);
          publish(status);
          publish(await client.call('update', { pauseMs: backgroundPauseMs }));
        })
        .catch(fail);
    },
    async retrieve(requirement, signal) {
      if (!client || lastStatus.state === 'empty' || error) return [];
      return client.call('retrieve', { requirement, tokenBudget: 4000, k: 12 }, signal).catch(() => []);
    },
    async dispose() {
      if (timer) clearTimeout(timer);
      await client?.dispose();
    },
  };
}
