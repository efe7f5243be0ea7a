// The index's worker thread: chunking, embedding and LanceDB all run here, so the language
// server's main thread keeps answering (health, diagnostics) while a folder is indexed.
import { parentPort } from 'node:worker_threads';
import { selectContext } from '../retrieve';
import { IndexService } from '../service';
import type { CallName, WorkerRequest, WorkerResponse } from './messages';

const port = parentPort!;
let service: IndexService | undefined;
const running = new Map<number, AbortController>();

const send = (message: WorkerResponse) => port.postMessage(message);

async function call(method: CallName, params: Record<string, unknown>, id: number, signal: AbortSignal): Promise<unknown> {
  if (!service) throw new Error('The index is not open.');
  const s = service;
  const progress = {
    signal,
    onProgress: (p: { message: string; done: number; total: number }) => (
      send({ kind: 'progress', id, progress: p }),
      send({ kind: 'status', status: s.status() })
    ),
  };
  switch (method) {
    case 'update':
      await s.update({ ...progress, pauseMs: params.pauseMs as number | undefined });
      return s.status();
    case 'rebuild':
      await s.rebuild({ ...progress, pauseMs: params.pauseMs as number | undefined });
      return s.status();
    case 'updateFiles':
      await s.updateFiles(params.paths as string[], progress);
      return s.status();
    case 'search':
      return s.search(params.query as string, params.limit as number | undefined, signal);
    case 'retrieve':
      return selectContext(s, params.requirement as string, {
        k: params.k as number | undefined,
        tokenBudget: params.tokenBudget as number | undefined,
        signal,
      });
    case 'status':
      return s.status();
  }
}

port.on('message', (message: WorkerRequest) => {
  if (message.kind === 'cancel') return running.get(message.id)?.abort();
  const controller = new AbortController();
  running.set(message.id, controller);
  const work =
    message.kind === 'open'
      ? IndexService.open(message.options).then(async (opened) => {
          await service?.close();
          service = opened;
          return { status: opened.status(), notice: opened.notice };
        })
      : call(message.method, message.params as Record<string, unknown>, message.id, controller.signal);
  work
    .then(
      (result) => {
        send({ kind: 'result', id: message.id, result });
        if (message.kind === 'call' && message.method !== 'search' && message.method !== 'status' && service)
          send({ kind: 'status', status: service.status() });
      },
      (err: Error) => send({ kind: 'error', id: message.id, message: err.message, cancelled: controller.signal.aborted }),
    )
    .finally(() => running.delete(message.id));
});
