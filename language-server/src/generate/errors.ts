// Errors a generation can end with, each one sentence for the user plus the command line's exit
// code (docs/cli.md).
import { CodedError } from '../common/codedError';

export class GenerationError extends CodedError {}

/** Bad input from the user or the model: a folder that exists, an unusable plan, a hostile path (exit 2). */
export class GenerationInputError extends GenerationError {
  constructor(message: string) {
    super(message, 2, 'GenerationInputError');
  }
}

/** The model's answer could not be used even after the tolerant parser and a retry (exit 3). */
export class ModelOutputError extends GenerationError {
  constructor(message: string) {
    super(message, 3, 'ModelOutputError');
  }
}

/** Cancelled by the user; the target folder was left as it was. */
export class GenerationCancelledError extends GenerationError {
  constructor(message = 'Generation cancelled; the target folder was left as it was.') {
    super(message, 130, 'GenerationCancelledError');
  }
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new GenerationCancelledError();
}
