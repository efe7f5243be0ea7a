// The one adapter over dockerfile-utils (the Dockerfile language server's validator): unknown
// instructions, bad arguments, missing FROM, and its warnings.
import { validate } from 'dockerfile-utils';
import type { SourceFile, StageFinding } from '../model';

export function dockerfileFindings(file: SourceFile): StageFinding[] {
  return validate(file.text).map((d) => ({
    file: file.path,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info',
    code: d.code !== undefined ? String(d.code) : undefined,
    source: 'dockerfile',
    message: d.message,
  }));
}
