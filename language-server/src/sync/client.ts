// A small HTTP client for the team backend's /v1 API over Node's fetch: the key as a bearer
// token, 429s waited out (Retry-After), and failures turned into one sentence each.
import type { ApiError } from '../../../protocol/backendApi';
import { CancelledError } from '../common/cancellation';
import { BackendRefusedError, BackendUnavailableError } from './errors';

export interface BackendTarget {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  key: string | undefined;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  json?: unknown;
  binary?: Uint8Array;
  signal?: AbortSignal;
}

const maxRateLimitWaits = 5;

export class BackendClient {
  readonly base: string;

  constructor(
    private readonly target: BackendTarget,
    private readonly timeoutMs = 60_000,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(target.url);
    } catch {
      throw new BackendRefusedError(`'${target.url}' is not a backend URL; give one like http://127.0.0.1:8787.`, 0);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new BackendRefusedError(`The backend URL must start with http:// or https://, not ${parsed.protocol}.`, 0);
    this.base = parsed.href.replace(/\/+$/, '');
  }

  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return JSON.parse((await this.send(path, options)).toString('utf8')) as T;
  }

  async bytes(path: string, options: RequestOptions = {}): Promise<Buffer> {
    return this.send(path, options);
  }

  private async send(path: string, options: RequestOptions): Promise<Buffer> {
    if (!this.target.key)
      throw new BackendRefusedError(
        'No API key for the QLP backend is set (QLP_API_KEY on the command line, QLP: Set API key → QLP backend in the editor).',
        401,
      );
    for (let waits = 0; ; waits++) {
      const response = await this.fetchOnce(path, options);
      const body = Buffer.from(await response.arrayBuffer());
      if (response.ok) return body;
      const retryAfter = Number(response.headers.get('retry-after'));
      if (response.status === 429 && waits < maxRateLimitWaits && Number.isFinite(retryAfter) && retryAfter <= 60) {
        await sleep(Math.max(1, retryAfter) * 1000, options.signal);
        continue;
      }
      throw this.failure(response.status, body, retryAfter);
    }
  }

  private async fetchOnce(path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.target.key}` };
    let body: Uint8Array | string | undefined;
    if (options.binary) {
      headers['content-type'] = 'application/octet-stream';
      body = options.binary;
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      return await fetch(`${this.base}${path}`, { method: options.method ?? 'GET', headers, body, signal });
    } catch (err) {
      if (options.signal?.aborted) throw new CancelledError('Cancelled.');
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      if (timeout.aborted) throw new BackendUnavailableError(`The QLP backend at ${this.base} did not answer within ${this.timeoutMs / 1000} s.`);
      throw new BackendUnavailableError(`The QLP backend at ${this.base} cannot be reached${cause ? ` (${cause})` : ''}.`);
    }
  }

  private failure(status: number, body: Buffer, retryAfter: number): Error {
    const reason = serverReason(body);
    const why = reason ? `: ${reason}` : '';
    if (status === 401) return new BackendRefusedError(`The QLP backend refused the API key${why}.`, status, reason);
    if (status === 403) return new BackendRefusedError(`The API key may not do this${why}.`, status, reason);
    if (status === 429)
      return new BackendUnavailableError(`The QLP backend is rate-limiting this key${Number.isFinite(retryAfter) ? `; retry in ${retryAfter} s` : ''}.`);
    if (status >= 500) return new BackendUnavailableError(`The QLP backend failed (HTTP ${status})${why}.`);
    return new BackendRefusedError(`The QLP backend refused the request (HTTP ${status})${why}.`, status, reason);
  }
}

/** The backend's `{"error": "…"}` sentence, if the body is one (a proxy's page is not). */
function serverReason(body: Buffer): string | undefined {
  try {
    const error = (JSON.parse(body.toString('utf8')) as ApiError | null)?.error;
    return typeof error === 'string' && error.trim() ? error : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new CancelledError('Cancelled.'));
      },
      { once: true },
    );
  });
}
