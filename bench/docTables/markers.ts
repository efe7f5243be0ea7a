// Generated figure tables in docs: `<!-- table:<id> -->` … `<!-- /table -->`. Everything between
// the two comments belongs to scripts/doc-tables.ts, which renders it from bench/results/.
export interface Block {
  id: string;
  /** The text between the opening comment's line end and the closing comment. */
  body: string;
  /** 1-based lines of the opening and closing comments. */
  firstLine: number;
  lastLine: number;
}

const blockPattern = /<!-- table:([a-z0-9-]+) -->\n([\s\S]*?)<!-- \/table -->/g;
const openPattern = /<!-- table:([a-z0-9-]+) -->/g;

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

export function blocks(text: string): Block[] {
  const found = [...text.matchAll(blockPattern)].map((m) => ({
    id: m[1],
    body: m[2],
    firstLine: lineAt(text, m.index),
    lastLine: lineAt(text, m.index + m[0].length),
  }));
  const opened = [...text.matchAll(openPattern)].length;
  if (opened !== found.length) throw new Error(`a table marker is not closed: ${opened} '<!-- table:… -->' but ${found.length} '<!-- /table -->' after them`);
  return found;
}

/** `text` with each block's body replaced by `render(id)` (unknown ids are left as they are). */
export function replaceBlocks(text: string, render: (id: string) => string | undefined): string {
  blocks(text);
  return text.replace(blockPattern, (whole, id: string) => {
    const body = render(id);
    return body === undefined ? whole : `<!-- table:${id} -->\n${body.endsWith('\n') ? body : `${body}\n`}<!-- /table -->`;
  });
}

/** The lines outside every block (markers included in the block), with their 1-based numbers. */
export function linesOutsideBlocks(text: string): Array<{ line: number; text: string }> {
  const inside = new Set<number>();
  for (const b of blocks(text)) for (let l = b.firstLine; l <= b.lastLine; l++) inside.add(l);
  return text.split('\n').flatMap((t, i) => (inside.has(i + 1) ? [] : [{ line: i + 1, text: t }]));
}
