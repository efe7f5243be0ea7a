// The search tables: the workspace index at 100k chunks (`npm run bench:search`, docs/performance.md)
// and at a million (`npm run bench:search-scale`, docs/search.md), and the public evaluation's
// quality and wall clock (`npm run bench:search-quality`).
import { block, caption, ms, notMeasured, seconds, table, thousands } from './format';
import type { Pooled } from '../searchQualityHeldout';
import type { DocTable } from './types';

export interface SearchFigures {
  indexing: { files: number; chunks: number; seconds: number; chunksPerSecond: number; withIndexBuildsSeconds: number; withIndexBuildsChunksPerSecond: number };
  queryMs: { p50: number; p95: number; n: number };
  saveMs: { p50: number; max: number; runs: number[] };
  peakRssMB: number;
  /** `exact` (in memory) or `ivf-pq` (LanceDB's index); older files lack it. */
  vectorSearch?: string;
  /** The largest JavaScript heap and buffers outside it, sampled each second (newer files). */
  peakHeapMB?: number;
  peakExternalMB?: number;
  /** The embedder the run used; older files (all `hash`) lack it. */
  embedder?: string;
  /** The shipped model's embedding rate on one core (the default run measures it). */
  learnedModel?: { chunksPerSecond: number; chunks: number; target: number };
}

/** The index bench's figures from one results file, as a table (the same rows at any size). */
function indexTable(file: string, command: string, doc: string, id: string): DocTable {
  return {
    id,
    doc,
    render(read) {
      const results = read<SearchFigures>(file);
      const head = caption([[file, command, results]]);
      const s = results?.figures;
      const bench = notMeasured(command);
      const rows = [
        [
          'Corpus',
          '',
          s
            ? `${thousands(s.indexing.files)} files, ${thousands(s.indexing.chunks)} chunks; embedder: ${s.embedder ?? 'hash'}; vector search: ${s.vectorSearch ?? 'exact'}`
            : bench,
        ],
        [
          'Initial indexing, discover + chunk + embed + write',
          '≥ 1,500 chunks/s',
          s
            ? `**${thousands(s.indexing.chunksPerSecond)} chunks/s** (${s.indexing.seconds} s); ${thousands(s.indexing.withIndexBuildsChunksPerSecond)} chunks/s with the index builds (full text, vector)`
            : bench,
        ],
        [
          'A saved file searchable again (update of that file + a search that finds it)',
          '< 150 ms',
          s
            ? `**p50 ${ms(s.saveMs.p50, 1)}, max ${ms(s.saveMs.max)}** (n=${s.saveMs.runs.length}; in order: ${s.saveMs.runs.map((r) => r.toFixed(0)).join(', ')} ms)`
            : bench,
        ],
        ['Query, in-process', '< 30 ms p95', s ? `**p50 ${ms(s.queryMs.p50, 1)}, p95 ${ms(s.queryMs.p95, 1)}** (n=${s.queryMs.n})` : bench],
        [
          'Peak RSS while indexing (and then searching and saving)',
          '< 700 MB',
          s
            ? `**${thousands(s.peakRssMB)} MB**${s.peakHeapMB !== undefined ? ` (of which, at their own peaks: JavaScript heap ${thousands(s.peakHeapMB)} MB, buffers outside it ${thousands(s.peakExternalMB ?? 0)} MB)` : ''}`
            : bench,
        ],
      ];
      if (s?.learnedModel)
        rows.push([
          'The shipped search model alone: embedding, one core',
          `≥ ${thousands(s.learnedModel.target)} chunks/s`,
          `**${thousands(s.learnedModel.chunksPerSecond)} chunks/s** (${thousands(s.learnedModel.chunks)} chunks of QLP's own sources)`,
        ]);
      return block(head, table(['What', 'Target', 'Measured'], rows));
    },
  };
}

export const searchIndex = indexTable('search', 'npm run bench:search', 'docs/performance.md', 'search-index');
/** The same with the model-free `hash` embedder. */
export const searchIndexHash = indexTable('search-hash', 'QLP_BENCH_EMBEDDER=hash npm run bench:search', 'docs/performance.md', 'search-index-hash');
/** A million chunks: LanceDB's IVF-PQ index instead of the in-memory scan. */
export const searchScale = indexTable('search-scale', 'npm run bench:search-scale', 'docs/search.md', 'search-scale');

interface Metrics {
  n: number;
  'hit@1': number;
  'hit@5': number;
  'hit@10': number;
  'mrr@10': number;
}

interface Side {
  index_ms: number | null;
  query_ms: { p50: number; p95: number } | null;
  metrics: Record<'overall' | 'descriptive' | 'keyword', Metrics>;
}

interface QualityFigures {
  corpus: { files: number; lines: number };
  queries: { total: number };
  product: Side;
  baseline: Side;
}

export const searchQuality: DocTable = {
  id: 'search-quality',
  doc: 'docs/performance.md',
  render(read) {
    const results = read<QualityFigures>('search-quality');
    const head = caption([['search-quality', 'npm run bench:search-quality', results]]);
    const header = ['group', 'n', 'product hit@1', 'hit@5', 'hit@10', 'MRR@10', 'baseline hit@1', 'hit@5', 'hit@10', 'MRR@10'];
    if (!results) return block(head, table(header, [['overall', '', notMeasured('npm run bench:search-quality'), '', '', '', '', '', '', '']]));
    const { product, baseline, corpus } = results.figures;
    const cells = (m: Metrics) => [m['hit@1'], m['hit@5'], m['hit@10'], m['mrr@10']].map((x) => x.toFixed(3));
    const rows = (['overall', 'descriptive', 'keyword'] as const).map((g) => [
      g,
      String(product.metrics[g].n),
      ...cells(product.metrics[g]),
      ...cells(baseline.metrics[g]),
    ]);
    const wall =
      product.query_ms && product.index_ms !== null
        ? `_\`qlp index\` took ${seconds(product.index_ms)}; \`qlp search\`, process start to exit, p50 ${seconds(product.query_ms.p50)}, p95 ${seconds(product.query_ms.p95)} (the evaluation's own timing; corpus ${corpus.files} files, ${thousands(corpus.lines)} lines)._`
        : '';
    return block(`${head}${wall ? `\\\n${wall}` : ''}`, table(header, rows));
  },
};

interface HeldoutFigures {
  packages: string[];
  product: Record<'descriptive' | 'keyword' | 'overall', Pooled>;
  baseline: Record<'descriptive' | 'keyword' | 'overall', Pooled>;
}

/** The search model's held-out packages through the public evaluation's own script (`npm run bench:search-quality`). */
export const searchQualityHeldout: DocTable = {
  id: 'search-quality-heldout',
  doc: 'docs/search-model.md',
  render(read) {
    const results = read<HeldoutFigures>('search-quality-heldout');
    const head = caption([['search-quality-heldout', 'npm run bench:search-quality', results]]);
    const header = ['group', 'n', 'product MRR@10', 'hit@10', 'baseline MRR@10', 'hit@10', 'difference MRR@10', 'hit@10'];
    if (!results) return block(head, table(header, [['overall', '', notMeasured('npm run bench:search-quality'), '', '', '', '', '']]));
    const { product, baseline } = results.figures;
    const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
    const rows = (['descriptive', 'keyword', 'overall'] as const).map((g) => [
      g,
      String(product[g].n),
      product[g].mrr10.toFixed(3),
      product[g].hit10.toFixed(3),
      baseline[g].mrr10.toFixed(3),
      baseline[g].hit10.toFixed(3),
      `**${signed(product[g].mrr10 - baseline[g].mrr10)}**`,
      `**${signed(product[g].hit10 - baseline[g].hit10)}**`,
    ]);
    return block(head, table(header, rows));
  },
};

interface BuildFigures {
  rows: number;
  builds: Array<{ setting: string; beforeMB: number; peakRssMB: number; seconds: number }>;
}

/** LanceDB's index builds at a million chunks under each memory setting (`npm run bench:index-builds`). */
export const indexBuilds: DocTable = {
  id: 'index-builds',
  doc: 'docs/search.md',
  render(read) {
    const results = read<BuildFigures>('index-builds');
    const head = caption([['index-builds', 'npm run bench:index-builds', results]]);
    const f = results?.figures;
    const rows = f
      ? f.builds.map((b) => [b.setting, `**${thousands(b.peakRssMB)} MB** (${thousands(b.beforeMB)} MB before)`, `${b.seconds} s`])
      : [['', notMeasured('npm run bench:index-builds'), '']];
    const title = f ? `Compaction, full-text, IVF-PQ and B-tree builds of ${thousands(f.rows)} synthetic chunks, each in its own process:` : '';
    return block(head, [title, table(['setting', 'peak RSS of the build', 'time'], rows)].filter(Boolean).join('\n\n'));
  },
};
