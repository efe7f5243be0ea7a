// Errors a generation can end with, each one sentence for the user plus the command line's exit
// code (docs/cli.md). A cancelled generation ends with common/cancellation's CancelledError,
// saying `generationCancelled`.
import { CodedError } from '../common/codedError';

export abstract class GenerationError extends CodedError {}

/** Bad input from the user or the model: a folder that exists, an unusable plan, a hostile path (exit 2). */
export class GenerationInputError extends GenerationError {
  override readonly name = 'GenerationInputError';
  readonly exitCode = 2;
}

/** The model's answer could not be used even after the tolerant parser and a retry (exit 3). */
export class ModelOutputError extends GenerationError {
  override readonly name = 'ModelOutputError';
  readonly exitCode = 3;
}

/** What a cancelled generation says: until the commit nothing touches the target folder. */
export const generationCancelled = 'Generation cancelled; the target folder was left as it was.';
