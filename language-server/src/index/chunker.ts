// Cuts a file into chunks along its code structure: functions, classes and methods with the
// comments just above them; whatever lies between them, and files no grammar reads, in plain
// line windows. Lines are 1-based and inclusive. Likely secrets are masked first (maskSecrets.ts):
// no chunk holds one.
import { languageOf } from '../workspace/languages';
import { maskSecrets } from './maskSecrets';
import { withTree, type SyntaxNode } from './treeSitter';

export interface Chunk {
  path: string;
  startLine: number;
  endLine: number;
  /** The function, method or class the chunk holds ('' for a plain window). */
  symbol: string;
  language: string;
  text: string;
}

/** Longest definition kept whole; longer ones are cut into windows that keep the symbol. */
const maxLines = 150;
const windowLines = 60;
const windowOverlap = 10;

const definitions = new Set([
  // TypeScript / JavaScript
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
  'abstract_class_declaration',
  'method_definition',
  'interface_declaration',
  'type_alias_declaration',
  'enum_declaration',
  'function_signature',
  // Python
  'function_definition',
  'class_definition',
  'decorated_definition',
  // Go
  'method_declaration',
  'type_declaration',
  // Java, C#
  'constructor_declaration',
  'record_declaration',
  'struct_declaration',
  'property_declaration',
  // Rust
  'function_item',
  'impl_item',
  'struct_item',
  'enum_item',
  'trait_item',
  'mod_item',
  // C, C++
  'struct_specifier',
  'class_specifier',
  'namespace_definition',
]);

/** Definitions whose members are worth their own chunks when the whole is too long. */
const containers = /class|impl|trait|interface|namespace|mod_item|struct|program|module|body|declaration_list|field_declaration_list/;
const comments = /comment/;

/** A function bound by a statement: `x.y = function …`, `const f = () => …`, `export …`. */
function boundFunction(node: SyntaxNode): { symbol: string } | undefined {
  if (node.type === 'export_statement') {
    const inner = node.namedChildren.find((c) => definitions.has(c.type) || c.type === 'lexical_declaration');
    if (inner) return definitions.has(inner.type) ? { symbol: nameOf(inner) } : boundFunction(inner);
  }
  if (node.type === 'expression_statement') {
    const expr = node.namedChildren[0];
    if (expr?.type === 'assignment_expression' && /function|arrow|class/.test(expr.childForFieldName('right')?.type ?? '')) {
      return { symbol: expr.childForFieldName('left')?.text ?? '' };
    }
  }
  if (node.type === 'lexical_declaration' || node.type === 'variable_declaration') {
    const declarator = node.namedChildren.find((c) => c.type === 'variable_declarator');
    if (declarator && /function|arrow|class/.test(declarator.childForFieldName('value')?.type ?? '')) {
      return { symbol: declarator.childForFieldName('name')?.text ?? '' };
    }
  }
  return undefined;
}

function nameOf(node: SyntaxNode): string {
  if (node.type === 'decorated_definition') {
    const inner = node.childForFieldName('definition');
    if (inner) return nameOf(inner);
  }
  const name = node.childForFieldName('name') ?? node.childForFieldName('declarator') ?? node.childForFieldName('type');
  if (!name) return '';
  const text = name.text;
  // C's declarator is `name(params)`: keep the name
  return text.split('(')[0].trim().slice(0, 120);
}

interface Region {
  start: number;
  end: number;
  symbol: string;
  /** A whole definition's own characters (leading comments included): [from, to). */
  from?: number;
  to?: number;
}

/** The first line (and character) of a node, moved up over the comments (and decorators) directly above it. */
function withLeadingComments(node: SyntaxNode): { row: number; index: number } {
  let row = node.startPosition.row;
  let index = node.startIndex;
  for (let prev = node.previousNamedSibling; prev && comments.test(prev.type); prev = prev.previousNamedSibling) {
    if (prev.endPosition.row < row - 2) break; // one blank line may separate a doc comment
    row = prev.startPosition.row;
    index = prev.startIndex;
  }
  return { row, index };
}

function collect(node: SyntaxNode, prefix: string, out: Region[]): void {
  for (const child of node.namedChildren) {
    if (comments.test(child.type)) continue;
    const bound = definitions.has(child.type) ? { symbol: nameOf(child) } : boundFunction(child);
    const { row: start, index: from } = withLeadingComments(child);
    const end = child.endPosition.row;
    const long = end - start + 1 > maxLines;
    if (bound) {
      const symbol = prefix && bound.symbol ? `${prefix}.${bound.symbol}` : bound.symbol;
      if (!long) {
        out.push({ start, end, symbol, from, to: child.endIndex });
        continue;
      }
      const before = out.length;
      const body = child.childForFieldName('body') ?? child.namedChildren.find((c) => containers.test(c.type));
      if (body && containers.test(child.type + body.type)) collect(body, symbol, out);
      if (out.length === before) out.push({ start, end, symbol });
      else out.push({ start, end: Math.min(end, start + 15), symbol }); // the declaration's head
      continue;
    }
    // Large statements (IIFEs, `module.exports = {…}`, namespaces) may hold definitions.
    if (long && child.namedChildCount > 0) collect(child, prefix, out);
  }
}

/** Line windows over [start, end] (0-based rows), skipping blank-only windows. */
function windows(lines: string[], start: number, end: number, symbol: string, out: Region[]): void {
  for (let s = start; s <= end; s += windowLines - windowOverlap) {
    const e = Math.min(end, s + windowLines - 1);
    if (lines.slice(s, e + 1).some((l) => l.trim())) out.push({ start: s, end: e, symbol });
    if (e >= end) break;
  }
}

/** Regions that cover the whole file: definitions, then the gaps between them as windows. */
function cover(lines: string[], defs: Region[]): Region[] {
  const sorted = [...defs].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Region[] = [];
  let next = 0;
  for (const d of sorted) {
    if (d.start > next) windows(lines, next, d.start - 1, '', out);
    if (d.end - d.start + 1 > maxLines) windows(lines, d.start, d.end, d.symbol, out);
    else out.push(d);
    next = Math.max(next, d.end + 1);
  }
  if (next < lines.length) windows(lines, next, lines.length - 1, '', out);
  return out;
}

/**
 * A definition's text: its whole lines, unless those lines hold much more than the definition
 * (minified code, many functions on one line), where each chunk repeating the line made a file of
 * half a megabyte into several megabytes of chunks to tokenize, embed and store.
 */
function regionText(text: string, lineStarts: number[], r: Region): string {
  const lineFrom = lineStarts[r.start];
  const lineTo = lineStarts[r.end + 1] - 1; // without the newline
  if (r.from !== undefined && r.to !== undefined && lineTo - lineFrom > 2 * (r.to - r.from) + 1024) return text.slice(r.from, r.to);
  return text.slice(lineFrom, lineTo);
}

/** The character offset where each line starts, and one past the end of the text (as if it ended in a newline). */
function lineOffsets(lines: string[]): number[] {
  const starts = [0];
  for (const line of lines) starts.push(starts[starts.length - 1] + line.length + 1);
  return starts;
}

export async function chunkFile(path: string, original: string): Promise<Chunk[]> {
  // A file whose secrets cannot be looked for is left out rather than stored as it is.
  const text = await maskSecrets(path, original).catch(() => undefined);
  if (text === undefined) return [];
  const language = languageOf(path);
  const lines = text.split('\n');
  let regions: Region[];
  if (language.grammar) {
    try {
      regions = cover(
        lines,
        await withTree(language.grammar, text, (root) => {
          const defs: Region[] = [];
          collect(root, '', defs);
          return defs;
        }),
      );
    } catch {
      regions = cover(lines, []); // a grammar that fails on a file still leaves it searchable
    }
  } else {
    regions = cover(lines, []);
  }
  const lineStarts = lineOffsets(lines);
  return regions.map((r) => ({
    path,
    startLine: r.start + 1,
    endLine: r.end + 1,
    symbol: r.symbol,
    language: language.id,
    text: regionText(text, lineStarts, r),
  }));
}
