// "Disable <rule> for this line": the comment each tool reads to turn one rule off for one line,
// as one edit of the document (pure; lspConvert.ts makes it a quick fix).
import { toolFailedCode, type Finding, type TextEditSpec } from '../../../protocol/validate';

export interface Suppression {
  title: string;
  edit: TextEditSpec;
}

type Suppressible = Pick<Finding, 'source' | 'code' | 'stage' | 'line'>;

const indentOf = (text: string) => /^\s*/.exec(text)?.[0] ?? '';

/** A new comment line above `line` (1-based), indented like it. */
function lineAbove(lines: string[], line: number, comment: string, eol: string): TextEditSpec {
  return { line, column: 1, endLine: line, endColumn: 1, newText: `${indentOf(lines[line - 1] ?? '')}${comment}${eol}` };
}

/** A comment at the end of `line`, replacing its trailing whitespace. */
function lineEnd(lines: string[], line: number, comment: string): TextEditSpec {
  const text = lines[line - 1] ?? '';
  const end = text.trimEnd().length;
  return { line, column: end + 1, endLine: line, endColumn: text.length + 1, newText: `  ${comment}` };
}

/** Inserts `text` at a 0-based offset of `line`. */
const insertAt = (line: number, offset: number, text: string): TextEditSpec => ({
  line,
  column: offset + 1,
  endLine: line,
  endColumn: offset + 1,
  newText: text,
});

function eslint(rule: string, lines: string[], line: number, eol: string): TextEditSpec | undefined {
  const above = line > 1 ? lines[line - 2] : undefined;
  const existing = above !== undefined ? /^(\s*\/\/\s*eslint-disable-next-line\s+)(.*?)(\s+--.*)?\s*$/.exec(above) : null;
  if (!existing) return lineAbove(lines, line, `// eslint-disable-next-line ${rule}`, eol);
  const rules = existing[2].split(',').map((r) => r.trim());
  if (rules.includes(rule)) return undefined;
  return insertAt(line - 1, existing[1].length + existing[2].length, `, ${rule}`);
}

/** Adds `code` to a `# <marker>` list on the line, or a new comment at its end. */
function trailing(lines: string[], line: number, existing: RegExp, blanket: RegExp, code: string, comment: string): TextEditSpec | undefined {
  const text = lines[line - 1] ?? '';
  const list = existing.exec(text);
  if (list) {
    if (
      list[2]
        .split(',')
        .map((c) => c.trim())
        .includes(code)
    )
      return undefined;
    return insertAt(line, list.index + list[1].length + list[2].trimEnd().length, `, ${code}`);
  }
  if (blanket.test(text)) return undefined; // every rule is off on this line already
  return lineEnd(lines, line, comment);
}

/**
 * The suppression comment for a finding, or undefined when its tool reads none (syntax errors,
 * QLP's own findings, secretlint's, which stay) or the line already turns the rule off.
 * `lines` is the document's text split into lines; `eol` its line ending.
 */
export function suppressionFor(f: Suppressible, lines: string[], eol: string): Suppression | undefined {
  const code = f.code;
  if (!code || code === toolFailedCode || code === 'config' || f.stage === 'syntax') return undefined;
  let edit: TextEditSpec | undefined;
  switch (f.source) {
    case 'eslint':
      edit = eslint(code, lines, f.line, eol);
      break;
    case 'ruff':
      edit = trailing(lines, f.line, /(#\s*noqa\s*:\s*)([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)/, /#\s*noqa(?!\s*:)/, code, `# noqa: ${code}`);
      break;
    case 'pyright':
      edit = trailing(lines, f.line, /(#\s*pyright:\s*ignore\[)([^\]]*)\]/, /#\s*pyright:\s*ignore(?!\[)/, code, `# pyright: ignore[${code}]`);
      break;
    case 'typescript': {
      if (f.stage !== 'types' || !/^TS\d+$/.test(code)) return undefined;
      const above = f.line > 1 ? lines[f.line - 2] : '';
      if (/^\s*\/\/\s*@ts-(expect-error|ignore)\b/.test(above)) return undefined;
      edit = lineAbove(lines, f.line, '// @ts-expect-error', eol);
      break;
    }
    default:
      return undefined;
  }
  return edit ? { title: `Disable ${code} for this line`, edit } : undefined;
}
