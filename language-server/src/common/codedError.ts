// The engine's errors a user can meet: one sentence, the command line's exit code (docs/cli.md),
// and a name spelled out, because bundling renames classes.
export class CodedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    name: string,
  ) {
    super(message);
    this.name = name;
  }
}
