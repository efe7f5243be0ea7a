// Errors a push or pull can end with: one sentence each, with the command line's exit code.
import { CapsuleError } from '../capsule/errors';

/** The backend could not be reached, or failed on its side: worth retrying later (exit 3). */
export class BackendUnavailableError extends CapsuleError {
  constructor(message: string) {
    super(message, 3, 'BackendUnavailableError');
  }
}

/** The backend refused the request for a reason a retry will not change (exit 2). */
export class BackendRefusedError extends CapsuleError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message, 2, 'BackendRefusedError');
  }
}
