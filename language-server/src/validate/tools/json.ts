// The one adapter over jsonc-parser: JSON syntax errors (comments and trailing commas allowed
// only in the JSON-with-comments files that conventionally have them).
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { lineStarts, spanOf } from '../findings';
import { isJsonWithComments } from '../../workspace/languages';
import type { SourceFile, StageFinding } from '../model';

const messages: Record<string, string> = {
  InvalidSymbol: 'Invalid symbol.',
  InvalidNumberFormat: 'Invalid number format.',
  PropertyNameExpected: 'Property name expected.',
  ValueExpected: 'Value expected.',
  ColonExpected: 'Colon expected.',
  CommaExpected: 'Comma expected.',
  CloseBraceExpected: 'Closing brace expected.',
  CloseBracketExpected: 'Closing bracket expected.',
  EndOfFileExpected: 'End of file expected.',
  InvalidCommentToken: 'Comments are not permitted in JSON.',
  UnexpectedEndOfComment: 'Unexpected end of comment.',
  UnexpectedEndOfString: 'Unexpected end of string.',
  UnexpectedEndOfNumber: 'Unexpected end of number.',
  InvalidUnicode: 'Invalid unicode sequence in string.',
  InvalidEscapeCharacter: 'Invalid escape character in string.',
  InvalidCharacter: 'Invalid characters in string (control characters must be escaped).',
};

export function jsonSyntaxFindings(file: SourceFile): StageFinding[] {
  const errors: ParseError[] = [];
  const lenient = isJsonWithComments(file.path);
  parse(file.text, errors, { allowTrailingComma: lenient, disallowComments: !lenient, allowEmptyContent: false });
  const starts = lineStarts(file.text);
  // After the first error on a line the parser's recovery mostly reports echoes of it.
  const seenLines = new Set<number>();
  const firstPerLine = errors.filter((e) => {
    const line = spanOf(starts, e.offset, e.offset).line;
    if (seenLines.has(line)) return false;
    seenLines.add(line);
    return true;
  });
  return firstPerLine.map((e) => {
    const code = printParseErrorCode(e.error);
    return { file: file.path, ...spanOf(starts, e.offset, e.offset + e.length), severity: 'error', code, source: 'json', message: messages[code] ?? code };
  });
}
