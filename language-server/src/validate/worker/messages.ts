// Messages between the validation worker thread and its client.
import type { ValidationReport } from '../../../../protocol/validate';
import type { ValidateInput } from '../pipeline';

export type WorkerRequest = { kind: 'validate'; id: number; input: ValidateInput } | { kind: 'cancel'; id: number };

export type WorkerResponse =
  | { kind: 'progress'; id: number; message: string }
  | { kind: 'result'; id: number; report: ValidationReport }
  | { kind: 'error'; id: number; message: string; cancelled: boolean };
