// Renders the docs' generated tables from bench/results/ and says where a doc disagrees.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults } from '../results';
import { blocks, replaceBlocks } from './markers';
import { docTables } from './tables';
import type { DocTable, Read } from './types';

export const readFrom =
  (dir?: string): Read =>
  (name) =>
    readResults(name, dir);

/** `text` (the doc `doc`) with each of its generated tables rendered anew. */
export function renderDoc(doc: string, text: string, read: Read, tables: DocTable[] = docTables): string {
  const own = new Map(tables.filter((t) => t.doc === doc).map((t) => [t.id, t]));
  return replaceBlocks(text, (id) => own.get(id)?.render(read));
}

export interface Problem {
  doc: string;
  id: string;
  problem: string;
}

/** Tables whose doc lacks its markers or holds other text than the files give, and markers no table renders. */
export function tableProblems(root: string, read: Read, tables: DocTable[] = docTables): Problem[] {
  const problems: Problem[] = [];
  const docs = [...new Set(tables.map((t) => t.doc))];
  for (const doc of docs) {
    const text = readFileSync(join(root, doc), 'utf8');
    const found = blocks(text);
    for (const table of tables.filter((t) => t.doc === doc)) {
      const mine = found.filter((b) => b.id === table.id);
      if (mine.length !== 1) problems.push({ doc, id: table.id, problem: `has ${mine.length} '<!-- table:${table.id} -->' blocks; it needs exactly one` });
      else if (normalized(mine[0].body) !== normalized(table.render(read)))
        problems.push({ doc, id: table.id, problem: `line ${mine[0].firstLine}: the table differs from what bench/results/ gives; run npm run docs:tables` });
    }
  }
  return problems;
}

/** Markers in `docs` that name no table of theirs. */
export function unknownMarkers(doc: string, text: string, tables: DocTable[] = docTables): Problem[] {
  const known = new Set(tables.filter((t) => t.doc === doc).map((t) => t.id));
  return blocks(text)
    .filter((b) => !known.has(b.id))
    .map((b) => ({ doc, id: b.id, problem: `line ${b.firstLine}: no generated table is called '${b.id}' for this doc` }));
}

/** The text with a table's cell padding and delimiter widths evened out, as a formatter may align them. */
export function normalized(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => (line.startsWith('|') ? line.replace(/\s*\|\s*/g, '|').replace(/:?-{3,}:?/g, '---') : line.trimEnd()))
    .join('\n');
}
