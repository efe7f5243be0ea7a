// Runs one provider stream under guard: an idle stream times out, a stream that ends without a
// finish reason is an error (never silent truncation), and cancel aborts the HTTP request.
import { cancelledError, ProviderError, providerName } from './errors';
import type { ChatRequest, Chunk, ModelProvider } from './types';

export interface GuardOptions {
  signal: AbortSignal;
  requestTimeoutMs: number;
  /** Longest pause allowed between two chunks once the response started. */
  idleTimeoutMs: number;
}

export async function* guardedStream(provider: ModelProvider, request: ChatRequest, options: GuardOptions): AsyncGenerator<Chunk> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal.reason);
  if (options.signal.aborted) throw cancelledError(provider.id);
  options.signal.addEventListener('abort', onAbort, { once: true });
  const iterator = provider.stream(request, { signal: controller.signal, requestTimeoutMs: options.requestTimeoutMs })[Symbol.asyncIterator]();
  let finished = false;
  let first = true;
  try {
    while (true) {
      // Until the first chunk the request timeout applies (inside the SDK); after it, the idle one.
      const idle = first ? undefined : { ms: options.idleTimeoutMs, onTimeout: () => controller.abort() };
      const next = await race(iterator.next(), options.signal, provider, idle);
      first = false;
      if (next.done) break;
      if (next.value.type === 'finish') finished = true;
      yield next.value;
    }
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    controller.abort();
    void iterator.return?.().catch(() => undefined);
  }
  if (!finished) throw new ProviderError(provider.id, 'stream', `${providerName(provider.id)} ended the stream before the model finished.`);
}

/** Settles with the next chunk, or rejects at once on cancel or after an idle timeout. */
function race(
  next: Promise<IteratorResult<Chunk>>,
  signal: AbortSignal,
  provider: ModelProvider,
  idle: { ms: number; onTimeout(): void } | undefined,
): Promise<IteratorResult<Chunk>> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(cancelledError(provider.id));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (idle) {
      timer = setTimeout(() => {
        done();
        idle.onTimeout();
        reject(
          new ProviderError(
            provider.id,
            'timeout',
            `${providerName(provider.id)} stopped sending for ${Math.round(idle.ms / 1000)} s in the middle of a response.`,
          ),
        );
      }, idle.ms);
    }
    next.then(
      (value) => {
        done();
        resolve(value);
      },
      (err) => {
        done();
        reject(err);
      },
    );
  });
}
