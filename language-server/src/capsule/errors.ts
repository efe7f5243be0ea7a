// Errors a capsule operation can end with. Each carries one sentence for the user and the exit
// code the command line maps it to (see docs/cli.md); the language server sends the sentence.

import { CodedError } from '../common/codedError';

export class CapsuleError extends CodedError {}

/** Bad input: an unknown capsule, a missing folder, a bad name (exit 2). */
export class CapsuleInputError extends CapsuleError {
  constructor(message: string) {
    super(message, 2, 'CapsuleInputError');
  }
}

/** An archive that is malformed or hostile (zip-slip, links, devices, bombs, tampering) (exit 2). */
export class UnsafeArchiveError extends CapsuleError {
  constructor(message: string) {
    super(message, 2, 'UnsafeArchiveError');
  }
}

/** The store is damaged: a blob is missing or its content no longer matches its hash (exit 3). */
export class CorruptStoreError extends CapsuleError {
  constructor(message: string) {
    super(message, 3, 'CorruptStoreError');
  }
}

/** The operation was cancelled; nothing half-done was left behind. */
export class CancelledError extends CapsuleError {
  constructor(message = 'Cancelled; nothing was written.') {
    super(message, 130, 'CancelledError');
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** The errno code of a Node.js error, if any. */
export function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
