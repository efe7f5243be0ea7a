// The docs' figures come from the files the benchmarks wrote: every generated table equals what
// bench/results/ renders, and no doc quotes a measured figure outside a generated table.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { handTypedFigures } from '../../../bench/docTables/handTyped';
import { blocks, replaceBlocks } from '../../../bench/docTables/markers';
import { readFrom, renderDoc, tableProblems, unknownMarkers } from '../../../bench/docTables/render';
import { docTables } from '../../../bench/docTables/tables';
import { repoRoot } from '../../support/paths';

const docs = readdirSync(join(repoRoot, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);
const text = (doc: string, root = repoRoot) => readFileSync(join(root, doc), 'utf8');

describe('generated doc tables', () => {
  it('every table in docs/ is what bench/results/ renders', () => {
    assert.deepEqual(tableProblems(repoRoot, readFrom()), []);
  });

  it('every table marker in docs/ names a table that renders it', () => {
    assert.deepEqual(
      docs.flatMap((doc) => unknownMarkers(doc, text(doc))),
      [],
    );
  });

  it("docs/performance.md's headline table is generated, from its first line to its last", () => {
    const lines = text('docs/performance.md').split('\n');
    const firstTableLine = lines.findIndex((l) => l.startsWith('|')) + 1;
    const headline = blocks(text('docs/performance.md')).find((b) => b.id === 'performance-headline');
    assert.ok(headline, 'docs/performance.md has no <!-- table:performance-headline --> block');
    assert.ok(
      firstTableLine > headline.firstLine && firstTableLine < headline.lastLine,
      `the first table (line ${firstTableLine}) is outside the generated block`,
    );
    assert.match(headline.body, /\| `\.vsix` \(linux-x64/);
    assert.match(headline.body, /\| `dist\/extension\.js` \| < 400 KiB \|/);
  });

  it('no doc quotes a measured figure outside a generated table', () => {
    const found = docs.flatMap((doc) => handTypedFigures(doc, text(doc)).map((h) => `${doc}:${h.line}: ${h.text.trim()}`));
    assert.deepEqual(found, []);
  });
});

describe('rendering and checking doc tables', () => {
  const empty = readFrom(mkdtempSync(join(tmpdir(), 'qlp-doc-results-')));

  it('says which bench has not measured a figure yet, instead of a number', () => {
    const headline = docTables.find((t) => t.id === 'performance-headline')!;
    const rendered = headline.render(empty);
    assert.match(rendered, /`bench\/results\/startup\.json` \(`npm run bench`\): not written yet/);
    assert.match(rendered, /\| `\.vsix` \(linux-x64, with LanceDB's native library\) \| {2}\| not yet measured by `npm run bench` \|/);
    assert.doesNotMatch(rendered, /\d+(\.\d+)? (ms|KiB|MiB)(?! \|)/);
  });

  it('renders a table from the file it names, with its date and commit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-doc-results-'));
    const figures = {
      routerMicroseconds: 7.5,
      streaming: { tokens: 10000, rawMs: spread(80), adapterMs: spread(90), serviceMs: spread(100) },
      firstTokenMs: spread(0.25),
    };
    writeFileSync(
      join(dir, 'models.json'),
      JSON.stringify({
        measuredAt: '2027-01-02T03:04:05Z',
        commit: 'abc1234',
        machine: { cpus: 2, cpuModel: null, memoryGiB: 24, loadAverage: [1.5, 1, 1], node: 'v20.20.2' },
        figures,
      }),
    );
    const rendered = docTables.find((t) => t.id === 'performance-models')!.render(readFrom(dir));
    assert.match(rendered, /2027-01-02, commit abc1234, 2 cores, Node 20\.20\.2, load average 1\.5/);
    assert.match(rendered, /\| A router decision \(features \+ tier\) \| 7\.5 µs \|/);
    assert.match(rendered, /\| 80 ms \/ 90 ms \/ 100 ms \|/);
    assert.match(rendered, /median 0\.25 ms, max 0\.25 ms \(n=3\)/);
  });

  it('rewrites only what lies between the markers', () => {
    const before = 'Intro 12 ms.\n<!-- table:performance-models -->\nold text\n<!-- /table -->\nOutro.\n';
    const after = renderDoc('docs/performance.md', before, empty);
    assert.ok(after.startsWith('Intro 12 ms.\n<!-- table:performance-models -->\n_`bench/results/models.json`'));
    assert.ok(after.endsWith('<!-- /table -->\nOutro.\n'));
    assert.equal(renderDoc('docs/performance.md', after, empty), after);
  });

  it('finds a table edited by hand, and accepts one a formatter aligned', () => {
    const root = mkdtempSync(join(tmpdir(), 'qlp-doc-root-'));
    mkdirSync(join(root, 'docs'));
    const only = docTables.filter((t) => t.id === 'performance-models');
    const rendered = renderDoc('docs/performance.md', '<!-- table:performance-models -->\n<!-- /table -->\n', empty, only);
    const aligned = rendered
      .replace('| What | Measured |', '| What                | Measured   |')
      .replace('| --- | --- |', '| :------------------ | ---------- |');
    writeFileSync(join(root, 'docs', 'performance.md'), aligned);
    assert.deepEqual(tableProblems(root, empty, only), []);
    writeFileSync(join(root, 'docs', 'performance.md'), rendered.replace('not yet measured by `npm run bench:models`', '42 ms'));
    const problems = tableProblems(root, empty, only);
    assert.equal(problems.length, 1);
    assert.match(problems[0].problem, /differs from what bench\/results\/ gives; run npm run docs:tables/);
    writeFileSync(join(root, 'docs', 'performance.md'), 'No table here.\n');
    assert.match(tableProblems(root, empty, only)[0].problem, /has 0 '<!-- table:performance-models -->' blocks/);
  });

  it('refuses a marker that is not closed', () => {
    assert.throws(() => replaceBlocks('<!-- table:search-index -->\n| a |\n', () => ''), /a table marker is not closed/);
  });

  it('flags measured figures typed outside the generated tables', () => {
    const doc = [
      'A run took 12 ms here.',
      'The limit is 120 s by default.',
      'A test asserts p90 < 50 ms.',
      '| ranking | MRR@10 |',
      '| rerank | 0.793 |',
      '<!-- table:x -->',
      'median 3 ms',
      '<!-- /table -->',
    ].join('\n');
    assert.deepEqual(
      handTypedFigures('docs/search.md', doc).map((h) => h.line),
      [1, 5],
    );
    assert.deepEqual(
      handTypedFigures('docs/performance.md', doc).map((h) => h.line),
      [1, 2, 3, 5],
    );
  });
});

function spread(ms: number) {
  return { median: ms, min: ms, p90: ms, max: ms, n: 3, runs: [ms, ms, ms] };
}
