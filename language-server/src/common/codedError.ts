// The engine's errors a user can meet: one sentence, and the command line's exit code (docs/cli.md).
// An error class declares both as fields, its name spelled out because bundling renames classes:
//
//   export class CapsuleInputError extends CapsuleError {
//     override readonly name = 'CapsuleInputError';
//     readonly exitCode = 2;
//   }
export abstract class CodedError extends Error {
  /** 2 bad input, 3 the environment failed, 130 cancelled (docs/cli.md). */
  abstract readonly exitCode: number;
}
