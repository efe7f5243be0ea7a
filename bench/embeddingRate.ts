// The shipped search model's embedding rate on one core: the chunks of QLP's own language-server
// sources, as the indexer hands them to an embedder (`symbol\npath\ntext`), embedded three times;
// the median round counts. Used by `bench:search` and `bench:search-model`. Target: ≥ 2,000 chunks/s.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chunkFile } from '../language-server/src/index/chunker';
import { LearnedEmbedder } from '../language-server/src/index/embedders/learnedEmbedder';

const sources = join(__dirname, '..', 'language-server', 'src');

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

export async function embeddingRate() {
  const texts: string[] = [];
  for (const file of tsFiles(sources)) {
    for (const c of await chunkFile(file.slice(sources.length + 1), readFileSync(file, 'utf8'))) texts.push(`${c.symbol}\n${c.path}\n${c.text}`);
  }
  const embedder = LearnedEmbedder.open();
  let started = performance.now();
  await embedder.embed([texts[0]]);
  const loadMs = performance.now() - started;
  const rates: number[] = [];
  for (let round = 0; round < 3; round++) {
    started = performance.now();
    await embedder.embed(texts);
    rates.push(texts.length / ((performance.now() - started) / 1000));
  }
  const chars = texts.reduce((a, t) => a + t.length, 0);
  return {
    chunks: texts.length,
    meanChunkChars: Math.round(chars / texts.length),
    firstEmbedLoadMs: Math.round(loadMs),
    chunksPerSecond: Math.round(rates.sort((a, b) => a - b)[1]),
    target: 2000,
  };
}
