// `npm run docs:tables`: rewrites the figure tables in docs/ (between `<!-- table:<id> -->` and
// `<!-- /table -->`) from the files the benches wrote in bench/results/.
// `npm run docs:tables -- --check`: changes nothing, lists the tables that differ, exits 1 if any.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFrom, renderDoc, tableProblems } from '../bench/docTables/render';
import { docTables } from '../bench/docTables/tables';

const repoRoot = join(__dirname, '..');

function main(): void {
  const read = readFrom();
  if (process.argv.includes('--check')) {
    const problems = tableProblems(repoRoot, read);
    for (const p of problems) console.error(`${p.doc} (${p.id}): ${p.problem}`);
    if (problems.length) process.exitCode = 1;
    else console.log(`docs: all ${docTables.length} generated tables match bench/results/.`);
    return;
  }
  for (const doc of [...new Set(docTables.map((t) => t.doc))]) {
    const path = join(repoRoot, doc);
    const before = readFileSync(path, 'utf8');
    const after = renderDoc(doc, before, read);
    if (after !== before) writeFileSync(path, after);
    console.log(`${doc}: ${after === before ? 'up to date' : 'tables rewritten'}`);
  }
  const missing = tableProblems(repoRoot, read);
  for (const p of missing) console.error(`${p.doc} (${p.id}): ${p.problem}`);
  if (missing.length) process.exitCode = 1;
}

try {
  main();
} catch (err) {
  console.error(`docs:tables: ${(err as Error).message}`);
  process.exitCode = 1;
}
