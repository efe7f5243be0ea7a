// Messages between the validation worker thread and its client.
import type { ValidationReport } from '../../../../protocol/validate';
import type { ChannelReply } from '../../common/workerChannel';
import type { ValidateInput } from '../pipeline';

export type WorkerRequest = { kind: 'validate'; id: number; input: ValidateInput } | { kind: 'cancel'; id: number };

/** Progress is a message for the user; the result is a `ValidationReport`. */
export type WorkerResponse = ChannelReply<string> & ({ kind: 'result'; result: ValidationReport } | { kind: 'progress' } | { kind: 'error' });
