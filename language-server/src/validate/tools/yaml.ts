// The one adapter over the `yaml` package: YAML syntax errors and warnings, every document of a stream.
import { parseAllDocuments, type YAMLError } from 'yaml';
import { lineStarts, spanOf } from '../findings';
import type { SourceFile, StageFinding } from '../model';

export function yamlSyntaxFindings(file: SourceFile): StageFinding[] {
  const starts = lineStarts(file.text);
  const convert = (e: YAMLError, severity: 'error' | 'warning'): StageFinding => ({
    file: file.path,
    ...spanOf(starts, e.pos[0], e.pos[1]),
    severity,
    code: e.code,
    source: 'yaml',
    message: e.message.split('\n')[0],
  });
  const documents = parseAllDocuments(file.text, { prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [documents];
  return list.flatMap((doc) => [...doc.errors.map((e) => convert(e, 'error')), ...doc.warnings.map((e) => convert(e, 'warning'))]);
}
