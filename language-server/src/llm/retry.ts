// When and how long to wait before trying a provider again: exponential backoff with jitter,
// and Retry-After honoured. Pure except for `sleep`.
import { ProviderError } from './errors';

export interface RetryPolicy {
  /** Attempts per provider, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this sends the call to another provider instead of waiting. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 30_000 };

/**
 * Milliseconds to wait before attempt `attempt + 1` after `err`, or undefined when the same
 * provider should not be tried again (a bad key, a bad request, cancel, attempts used up).
 */
export function retryDelay(err: ProviderError, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (!err.transient || attempt >= policy.maxAttempts) return undefined;
  if (err.retryAfterMs !== undefined) {
    if (err.retryAfterMs > policy.maxRetryAfterMs) return undefined;
    // Never earlier than the provider asked; a little jitter so parallel calls do not stampede.
    return err.retryAfterMs + Math.round(random() * Math.min(1000, policy.baseDelayMs));
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
