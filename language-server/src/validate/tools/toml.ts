// The one adapter over smol-toml: TOML syntax errors (the first one; TOML parsers stop there),
// and parsing for the config readers (Ruff settings, pyproject.toml).
import type { SourceFile, StageFinding } from '../model';

// smol-toml is an ES module with a CommonJS build; its types are declared for the former.
const toml = require('smol-toml') as typeof import('smol-toml');

export function parseToml(text: string): Record<string, unknown> {
  return toml.parse(text) as Record<string, unknown>;
}

export function tomlSyntaxFindings(file: SourceFile): StageFinding[] {
  try {
    toml.parse(file.text);
    return [];
  } catch (err) {
    if (!(err instanceof toml.TomlError)) throw err;
    const message = err.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
    return [
      {
        file: file.path,
        line: err.line,
        column: err.column,
        endLine: err.line,
        endColumn: err.column + 1,
        severity: 'error',
        code: 'invalid-toml',
        source: 'toml',
        message,
      },
    ];
  }
}
