// `npm run bench:search-model` (bundles first): the learned search model (docs/search-model.md).
// Measures its embedding rate on one core (the chunks of QLP's own language-server sources, the
// text the indexer hands an embedder), runs its evaluation (scripts/search-model/evalSearch.ts:
// the held-out packages and the public express set; BM25, hash, learned, blends, shipped
// reranker), then the public evaluation's own script against the built `qlp` with
// QLP_EMBEDDER=learned, and writes all of it to bench/results/search-model.json.
// Target: ≥ 2,000 chunks/s.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModelDir } from '../language-server/src/index/embedders/learnedEmbedder';
import { evaluateAll } from '../scripts/search-model/evalSearch';
import { cliPath, repoRoot, requireBuilt } from '../test/support/paths';
import { embeddingRate } from './embeddingRate';
import { writeResults } from './results';

const work = process.env.QLP_SEARCH_MODEL_WORK || join(tmpdir(), 'qlp-search-model');

const evalScript = process.env.QLP_EVAL_SEARCH || join(repoRoot, '..', 'shared', 'eval', 'search', 'eval-search.mjs');

/** The public evaluation's script, as its README says to run it, with the learned embedder. */
function officialPublicRun(): unknown {
  if (!existsSync(evalScript)) return { skipped: `${evalScript} not found` };
  const home = mkdtempSync(join(tmpdir(), 'qlp-search-model-home-'));
  try {
    const run = spawnSync(process.execPath, [evalScript, '--set', 'public', '--qlp', `node ${requireBuilt(cliPath)}`, '--work', join(work, 'official')], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, QLP_EMBEDDER: 'learned', QLP_HOME: home },
    });
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
      product?: { ok?: boolean; metrics?: unknown; error?: string } | null;
      baseline?: { metrics?: unknown };
    };
    if (run.status !== 0 || !summary.product?.ok)
      throw new Error(`the public evaluation failed (exit ${run.status}): ${summary.product?.error ?? 'no summary'}`);
    return { embedder: 'learned', product: summary.product.metrics, baseline: summary.baseline?.metrics };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function main() {
  const model = JSON.parse(readFileSync(join(defaultModelDir(), 'model.json'), 'utf8'));
  const sizes = Object.fromEntries(['weights.bin', 'vocab.txt', 'model.json'].map((f) => [f, statSync(join(defaultModelDir(), f)).size]));
  const rate = await embeddingRate();
  console.log(`embedding: ${rate.chunksPerSecond} chunks/s on one core (${rate.chunks} chunks, table read in ${rate.firstEmbedLoadMs} ms)`);
  const evaluation = await evaluateAll(work);
  const official = officialPublicRun();
  console.log(`public evaluation script, learned embedder: ${JSON.stringify(official)}`);
  const file = writeResults('search-model', {
    model: { dimensions: model.dimensions, vocabulary: model.vocabulary, bytes: sizes, training: model.training },
    embedding: rate,
    evaluation: { ...evaluation, publicScript: official },
  });
  console.log(`wrote ${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
