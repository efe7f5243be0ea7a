// Errors a push or pull can end with: one sentence each, with the command line's exit code.
import { CapsuleError } from '../capsule/errors';

/** The backend could not be reached, or failed on its side: worth retrying later (exit 3). */
export class BackendUnavailableError extends CapsuleError {
  override readonly name = 'BackendUnavailableError';
  readonly exitCode = 3;
}

/** Statuses by which a backend refuses a request for good: the same request will be refused again. */
const definitiveStatuses = new Set([400, 403, 404, 409, 410, 413, 415, 422]);

/** The backend refused the request, or it cannot be made as configured (exit 2). */
export class BackendRefusedError extends CapsuleError {
  override readonly name = 'BackendRefusedError';
  readonly exitCode = 2;

  constructor(
    message: string,
    /** The HTTP status, or 0 when the request was never sent (no key, a bad URL). */
    readonly status: number,
    /** The backend's own sentence (its `{"error": …}`), when it sent one. */
    readonly reason?: string,
  ) {
    super(message);
  }

  /**
   * Whether retrying cannot help: a QLP backend said why it refuses, with a status that means
   * the request itself is wrong. A bare 404 or 400 (a proxy, a wrong URL) and a refused key
   * (401, which a new key fixes) are not.
   */
  get definitive(): boolean {
    return this.reason !== undefined && definitiveStatuses.has(this.status);
  }
}
