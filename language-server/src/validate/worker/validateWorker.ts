// The validation worker thread (bundled as dist/validateWorker.js): type checking and linting
// run here, off the language server's main thread, with the tools kept warm between runs.
import { parentPort } from 'node:worker_threads';
import { validate } from '../pipeline';
import { Toolbox } from '../toolbox';
import type { WorkerRequest, WorkerResponse } from './messages';

const port = parentPort;
if (!port) throw new Error('validateWorker.js runs as a worker thread.');

const tools = new Toolbox();
const running = new Map<number, AbortController>();
const send = (message: WorkerResponse) => port.postMessage(message);

port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'cancel') {
    running.get(request.id)?.abort(new Error('cancelled'));
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  const { id } = request;
  validate(request.input, { tools }, controller.signal, (message) => send({ kind: 'progress', id, progress: message }))
    .then((report) => {
      // The first run that loaded the tools caches what it compiled (before the result: a worker
      // is often closed right after it); later calls do nothing.
      tools.saveCompiledCode();
      send({ kind: 'result', id, result: report });
    })
    .catch((err: unknown) => send({ kind: 'error', id, message: err instanceof Error ? err.message : String(err), cancelled: controller.signal.aborted }))
    .finally(() => running.delete(id));
});
