// Provider failures told apart, so the caller knows what to retry, what to fall back from and
// what to tell the user. Every adapter throws only these.
import type { ProviderId } from '../../../protocol/machine';

export type ProviderErrorKind =
  | 'auth' // bad or missing key: never retried
  | 'rateLimit' // 429: retried after Retry-After
  | 'server' // 5xx: retried, then another provider
  | 'timeout' // no response or an idle stream
  | 'network' // unreachable endpoint
  | 'stream' // a cut or malformed stream
  | 'badRequest' // 400/404/422: unknown model, bad input: never retried
  | 'cancelled';

export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderId,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }

  /** For the command line: 130 for an interrupt (like the shell), 3 for a failed environment. */
  get exitCode(): number {
    return this.kind === 'cancelled' ? 130 : 3;
  }

  /** Worth trying again (same or another provider). */
  get transient(): boolean {
    return this.kind === 'rateLimit' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network' || this.kind === 'stream';
  }
}

const providerNames: Record<ProviderId, string> = {
  openai: 'OpenAI',
  azure: 'Azure OpenAI',
  anthropic: 'Anthropic',
  groq: 'Groq',
  local: 'the local model server',
};

export function providerName(id: ProviderId): string {
  return providerNames[id];
}

/** Reads Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Maps an HTTP status from a provider to a ProviderError. */
export function errorFromStatus(provider: ProviderId, status: number, detail: string, retryAfter?: string | null): ProviderError {
  const name = providerName(provider);
  const clean = detail.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (status === 401 || status === 403) {
    return new ProviderError(
      provider,
      'auth',
      `${name} refused the API key (${status}); set a valid key with "QLP: Set API key" or the provider's environment variable.`,
      undefined,
      status,
    );
  }
  if (status === 429) {
    return new ProviderError(provider, 'rateLimit', `${name} is rate limiting requests (429).`, parseRetryAfter(retryAfter), status);
  }
  if (status >= 500)
    return new ProviderError(provider, 'server', `${name} failed with ${status}: ${clean || 'server error'}.`, parseRetryAfter(retryAfter), status);
  if (status === 404) return new ProviderError(provider, 'badRequest', `${name} does not know that model or deployment (404): ${clean}.`, undefined, status);
  return new ProviderError(provider, 'badRequest', `${name} rejected the request (${status}): ${clean}.`, undefined, status);
}

/** Why a connection failed, as the system said it (`ECONNREFUSED`), else the innermost cause's words. */
export function connectionCause(err: Error): string {
  let words = err.message;
  let cause: unknown = err.cause;
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    words = cause.message;
    cause = cause.cause;
  }
  return words.replace(/\.+$/, '');
}

export function cancelledError(provider: ProviderId): ProviderError {
  return new ProviderError(provider, 'cancelled', 'The model request was cancelled.');
}
