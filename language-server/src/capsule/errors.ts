// Errors a capsule operation can end with. Each carries one sentence for the user and the exit
// code the command line maps it to (see docs/cli.md); the language server sends the sentence.
// A cancelled operation ends with common/cancellation's CancelledError.
import { CodedError } from '../common/codedError';

/** A capsule operation refused or failed cleanly (what the import fuzzing expects of bad archives). */
export abstract class CapsuleError extends CodedError {}

/** Bad input: an unknown capsule, a missing folder, a bad name (exit 2). */
export class CapsuleInputError extends CapsuleError {
  override readonly name = 'CapsuleInputError';
  readonly exitCode = 2;
}

/** An archive that is malformed or hostile (zip-slip, links, devices, bombs, tampering) (exit 2). */
export class UnsafeArchiveError extends CapsuleError {
  override readonly name = 'UnsafeArchiveError';
  readonly exitCode = 2;
}

/** The store is damaged: a blob is missing or its content no longer matches its hash (exit 3). */
export class CorruptStoreError extends CapsuleError {
  override readonly name = 'CorruptStoreError';
  readonly exitCode = 3;
}
