// Fits the rerank weights for any embedder, remote ones included (`npm run search:fit -- <id>`):
// the held-out packages are indexed with it, each on-topic query's candidates and features are
// read, and fitRanking.ts's grid picks the weights; leaving each package out says what they are
// worth. A remote embedder's endpoint and key come from the environment, as for `qlp index`
// (OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT, OLLAMA_HOST …). Writes
// bench/results/rank-weights-<id>.json; its weights go into
// language-server/src/index/embedders/remoteWeights.ts to ship.
// Usage: node --import tsx scripts/search-model/fitEmbedder.ts <embedder id> [work folder]
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResults } from '../../bench/results';
import { IndexService } from '../../language-server/src/index/service';
import { heldoutQueries, loadSet, prepareCorpus } from './evalSearch';
import { candidateRows, fitPackages, type FeatureRow, type Target } from './fitRanking';

export interface FitCorpus {
  name: string;
  root: string;
  queries: Array<{ query: string; targets: Target[] }>;
}

/** Indexes each corpus with the embedder and fits its weights on the queries' candidates. */
export async function fitEmbedderWeights(embedder: string, corpora: FitCorpus[], work: string, env: NodeJS.ProcessEnv) {
  const groups = new Map<string, FeatureRow[][]>();
  for (const corpus of corpora) {
    const service = await IndexService.open({ root: corpus.root, indexDir: join(work, 'index', corpus.name), embedder, env });
    try {
      await service.update();
      const rows: FeatureRow[][] = [];
      for (const q of corpus.queries) rows.push(await candidateRows(service, q.query, q.targets));
      groups.set(corpus.name, rows);
    } finally {
      await service.close();
    }
  }
  return { embedder, ...fitPackages(groups) };
}

async function main(embedder: string, work: string): Promise<void> {
  const set = loadSet(heldoutQueries);
  const corpora = Object.entries(set.corpora!).map(([name, { sources }]) => ({
    name,
    root: prepareCorpus(work, name, sources),
    queries: set.queries.filter((q) => q.corpus === name && q.kind !== 'offtopic'),
  }));
  const fit = await fitEmbedderWeights(embedder, corpora, work, process.env);
  console.log(JSON.stringify(fit));
  console.log(`Written to ${writeResults(`rank-weights-${embedder.replace(/[^A-Za-z0-9.-]+/g, '-')}`, fit)}`);
}

if (require.main === module) {
  const [embedder, work = join(tmpdir(), 'qlp-search-fit')] = process.argv.slice(2);
  if (!embedder) {
    console.error('Usage: fitEmbedder.ts <embedder id> [work folder]');
    process.exit(2);
  }
  main(embedder, work).catch((err: Error) => {
    console.error(`search:fit: ${err.message}`);
    process.exit(1);
  });
}
