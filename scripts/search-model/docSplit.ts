// Splits a chunk (what index/chunker.ts makes) into its doc comment and its code, and turns the
// doc comment into the kind of sentence a developer would type: its summary paragraph, without
// tags, markup or examples. JavaScript/TypeScript: the comments leading the chunk; Python: the
// docstring (found with the tree-sitter grammar), else the `#` comments leading the chunk.
import { withTree, type SyntaxNode } from '../../language-server/src/index/treeSitter';

export interface DocSplit {
  doc: string;
  code: string;
}

/** The block and line comments at the start of a JavaScript/TypeScript chunk, and the rest. */
export function splitLeadingComments(text: string, lineComment = '//'): DocSplit {
  let i = 0;
  const docs: string[] = [];
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (lineComment === '//' && text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) break;
      docs.push(text.slice(i, end + 2));
      i = end + 2;
    } else if (text.startsWith(lineComment, i)) {
      const end = text.indexOf('\n', i);
      docs.push(text.slice(i, end < 0 ? text.length : end));
      i = end < 0 ? text.length : end;
    } else break;
  }
  return { doc: docs.join('\n'), code: text.slice(i) };
}

function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

function definitionOf(root: SyntaxNode): SyntaxNode | undefined {
  for (const child of root.namedChildren) {
    if (child.type === 'decorated_definition') return child.childForFieldName('definition') ?? undefined;
    if (child.type === 'function_definition' || child.type === 'class_definition') return child;
  }
  return undefined;
}

/** A Python chunk's docstring (whole lines removed from the code), else its leading `#` comments. */
export async function splitPython(text: string): Promise<DocSplit> {
  const source = dedent(text);
  const found = await withTree('python', source, (root) => {
    const body = definitionOf(root)?.childForFieldName('body');
    const first = body?.namedChildren[0];
    const string = first?.type === 'expression_statement' ? first.namedChildren[0] : undefined;
    if (!first || string?.type !== 'string') return undefined;
    return { doc: string.text, startRow: first.startPosition.row, endRow: first.endPosition.row };
  });
  if (!found) return splitLeadingComments(source, '#');
  const lines = source.split('\n');
  // A docstring on the `def` line itself (one-liners) leaves that line without it.
  if (found.startRow === lines.findIndex((l) => /^\s*(async\s+)?(def|class)\s/.test(l))) return { doc: found.doc, code: source.replace(found.doc, '') };
  return { doc: found.doc, code: [...lines.slice(0, found.startRow), ...lines.slice(found.endRow + 1)].join('\n') };
}

const noise =
  /^(eslint|istanbul|@ts-|prettier-ignore|jshint|jslint|global\s|noinspection|todo|fixme|xxx|hack|copyright|license|spdx|#!|-\*-|pylint|type:|noqa|pragma|webpack|@license|@preserve|c8 ignore|v8 ignore)/i;
const pythonSections =
  /^\s*(parameters|arguments|args|params|returns?|yields?|raises|examples?|notes?|see also|attributes|keyword arguments|kwargs|references|warnings?|other parameters|usage|methods|todo|versionadded|versionchanged|deprecated)\s*:?\s*$/i;
const maxChars = 400;

/** The doc comment's summary: its first paragraph of prose, markup removed, at most ~400 characters. */
export function summary(doc: string, language: string): string {
  let lines: string[];
  if (language === 'python') {
    const body = doc.replace(/^[rRuUbBfF]*("""|'''|"|')/, '').replace(/("""|'''|"|')$/, '');
    lines = dedent(body.replace(/^\s*\n/, '')).split('\n');
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (pythonSections.test(l) || /^\s*(:\w+|>>>|\.\.\s|@\w)/.test(l) || /^\s*[-=~]{3,}\s*$/.test(lines[i + 1] ?? '')) break;
      out.push(l.replace(/^#+\s?/, ''));
    }
    lines = out;
  } else {
    const out: string[] = [];
    for (const raw of doc.split('\n')) {
      const l = raw
        .replace(/^\s*\/\*\*?/, '')
        .replace(/\*\/\s*$/, '')
        .replace(/^\s*\*\s?/, '')
        .replace(/^\s*\/\/+\s?/, '');
      const tag = l.match(/^\s*@(\w+)\s*(.*)$/);
      if (tag) {
        if (/^(description|desc|summary|classdesc)$/.test(tag[1]) && tag[2]) out.push(tag[2]);
        else if (out.some((o) => o.trim())) break;
        continue;
      }
      if (/^\s*```/.test(l) || /^\s*(example|examples|usage)\s*:?\s*$/i.test(l)) break;
      out.push(l);
    }
    lines = out;
  }
  const paragraph: string[] = [];
  for (const l of lines) {
    if (!l.trim()) {
      if (paragraph.length) break;
      continue;
    }
    paragraph.push(l.trim());
  }
  let text = paragraph
    .join(' ')
    .replace(/\{@(?:link|linkcode|linkplain)\s+([^}|\s]+)(?:[|\s]+([^}]*))?\}/g, (_m, target: string, label?: string) => label || target)
    .replace(/:[\w:]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`/g, (_m, name: string) => name.split('.').pop() ?? name)
    .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
    .replace(/`+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (noise.test(text)) return '';
  if (text.length > maxChars) {
    const cut = text.slice(0, maxChars);
    const sentence = cut.lastIndexOf('. ');
    text = sentence > 80 ? cut.slice(0, sentence + 1) : cut;
  }
  return text;
}

/** Doc comment and code of a chunk in this language (grammar id as in index/languages.ts). */
export function splitChunk(text: string, language: string): Promise<DocSplit> | DocSplit {
  return language === 'python' ? splitPython(text) : splitLeadingComments(text);
}
