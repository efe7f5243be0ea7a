// `npm run bench:search`: the workspace index on real code — the sources of the npm packages in
// node_modules, copied package by package into a scratch folder until it holds about
// QLP_BENCH_CHUNKS chunks (default 100,000; past what node_modules holds, packages are copied again
// under copy-<n>/, so a million chunks repeat its code). Prints: initial indexing (chunks/s end to end:
// discover, chunk, embed, write; then the index builds), a saved file searchable again (ms),
// query latency in-process (p50/p95), peak RSS. Targets: ≥ 1,500 chunks/s; < 150 ms; < 30 ms
// p95; < 700 MB. It runs with the language server's and `qlp`'s malloc settings (protocol/allocator.ts). Writes
// bench/results/search.json, or search-scale.json past the exact-search size (`npm run bench:search-scale`:
// a million chunks through LanceDB's IVF-PQ index). QLP_BENCH_EMBEDDER picks the embedder (default:
// the product's). The plain run also measures the shipped search model's embedding rate
// (bench/embeddingRate.ts) and prints the million-chunk figures that search-scale.json holds.
// QLP_BENCH_MEMORY_LOG=<file> appends the process's memory (RSS, heap, external) each second.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocatorEnv } from '../protocol/allocator';
import { languageOf } from '../language-server/src/workspace/languages';
import { IndexService } from '../language-server/src/index/service';
import { defaultAnnFromRows } from '../language-server/src/index/store';
import type { SearchFigures } from './docTables/search';
import { embeddingRate } from './embeddingRate';
import { readResults, writeResults } from './results';

const targetChunks = Number(process.env.QLP_BENCH_CHUNKS) || 100_000;
const embedder = process.env.QLP_BENCH_EMBEDDER || undefined;
/** Past the exact-search size the figures go to their own file (`npm run bench:search-scale`); another embedder's too. */
const resultsName = `${targetChunks > defaultAnnFromRows ? 'search-scale' : 'search'}${embedder ? `-${embedder}` : ''}`;
/** Lines of code per chunk, measured on these packages; only used to decide when to stop copying. */
const linesPerChunk = 22;
const work = join(tmpdir(), 'qlp-bench-search');
const corpus = join(work, 'corpus');
const indexDir = join(work, 'index');
const modules = join(__dirname, '..', 'node_modules');

function codeLines(dir: string): number {
  let lines = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') lines += codeLines(path);
    else if (entry.isFile() && languageOf(entry.name).grammar && !entry.name.endsWith('.map')) {
      const size = statSync(path).size;
      if (size <= 1024 * 1024) lines += readFileSync(path, 'utf8').split('\n').length;
    }
  }
  return lines;
}

/**
 * Copies whole packages (their own files, not nested node_modules) until the corpus is large
 * enough; past what node_modules holds, another round copies them again under `copy-<n>/`.
 */
function buildCorpus(): void {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(corpus, { recursive: true });
  let lines = 0;
  const packages = readdirSync(modules)
    .flatMap((n) => (n.startsWith('@') ? readdirSync(join(modules, n)).map((m) => `${n}/${m}`) : [n]))
    .filter((n) => !n.startsWith('.') && existsSync(join(modules, n, 'package.json')))
    .sort();
  for (let round = 0; lines < targetChunks * linesPerChunk; round++) {
    for (const name of packages) {
      if (lines >= targetChunks * linesPerChunk) break;
      const from = join(modules, name);
      const to = join(corpus, round === 0 ? name : `copy-${round}/${name}`);
      cpSync(from, to, { recursive: true, filter: (src) => !src.slice(from.length).includes('node_modules') });
      lines += codeLines(to);
    }
  }
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
const queries = [
  'parse command line arguments into options',
  'retry a request after a failure with a delay',
  'read a configuration file from disk and merge defaults',
  'escape special characters in a regular expression',
  'compare two version strings',
  'walk a directory tree recursively',
  'convert a string to camel case',
  'stream the response body to a file',
  'report an error with the line and column',
  'cache results of an expensive function',
];

async function main(): Promise<void> {
  buildCorpus();
  // Bench settings: the packages' dist/ and lib/ folders are their code here; keep the usual skips otherwise.
  const exclude = ['node_modules/', '*.map', '*.min.js', '*.wasm', '*.node', '*.png', '*.gz', '*.tgz', 'package-lock.json'];
  const memory = sampleMemory();
  const service = await IndexService.open({ root: corpus, indexDir, exclude, embedder, env: {} });
  const started = performance.now();
  const run = await service.update();
  const total = performance.now() - started;
  const status = service.status();
  const indexing = {
    files: status.files,
    chunks: status.chunks,
    seconds: Math.round(run.durationMs / 100) / 10,
    chunksPerSecond: Math.round(status.chunks / (run.durationMs / 1000)),
    withIndexBuildsSeconds: Math.round(total / 100) / 10,
    withIndexBuildsChunksPerSecond: Math.round(status.chunks / (total / 1000)),
  };
  console.log(`corpus: ${status.files} files, ${status.chunks} chunks (node_modules packages)`);
  console.log(
    `initial indexing: ${(run.durationMs / 1000).toFixed(1)} s for discover+chunk+embed+write = ${Math.round(status.chunks / (run.durationMs / 1000))} chunks/s; with index builds (full text, vector) ${(total / 1000).toFixed(1)} s = ${Math.round(status.chunks / (total / 1000))} chunks/s`,
  );

  const times: number[] = [];
  for (let round = 0; round < 5; round++)
    for (const q of queries) {
      const t = performance.now();
      await service.search(q, 10);
      times.push(performance.now() - t);
    }
  console.log(`query (in-process, n=${times.length}): p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms`);

  // A save: append a function to a file, update it, search until it is found.
  const target = join(corpus, 'bench-saved.ts');
  const saves: number[] = [];
  for (let i = 0; i < 10; i++) {
    writeFileSync(
      target,
      `/** Computes the zorbulation coefficient number ${i} for a flux capacitor. */\nexport function zorbulate${i}(flux: number): number {\n  return flux * ${i};\n}\n`,
    );
    const t = performance.now();
    await service.updateFiles(['bench-saved.ts']);
    const [top] = await service.search(`zorbulation coefficient ${i} flux capacitor`, 1);
    saves.push(performance.now() - t);
    if (top?.symbol !== `zorbulate${i}`) throw new Error(`the saved function was not found (got ${top?.symbol})`);
  }
  console.log(
    `saved file searchable again (update + search, n=10): p50 ${percentile(saves, 0.5).toFixed(1)} ms, max ${Math.max(...saves).toFixed(1)} ms (in order: ${saves.map((ms) => ms.toFixed(0)).join(', ')})`,
  );
  await service.close();
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const heap = memory.stop();
  console.log(
    `peak RSS: ${peakRssMB} MB (sampled each second from the start of indexing: JavaScript heap at most ${heap.heapMB} MB, buffers outside it at most ${heap.externalMB} MB)`,
  );
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const learnedModel = resultsName === 'search' ? await embeddingRate() : undefined;
  if (learnedModel)
    console.log(`shipped search model (learned): ${learnedModel.chunksPerSecond} chunks/s embedded on one core (target ≥ ${learnedModel.target})`);
  if (resultsName === 'search') printScale();
  const file = writeResults(resultsName, {
    embedder: service.status().embedder,
    vectorSearch: status.chunks >= defaultAnnFromRows ? 'ivf-pq' : 'exact',
    indexing,
    queryMs: { p50: round(percentile(times, 0.5)), p95: round(percentile(times, 0.95)), n: times.length },
    saveMs: { p50: round(percentile(saves, 0.5)), max: round(Math.max(...saves)), runs: saves.map(round) },
    peakRssMB,
    peakHeapMB: heap.heapMB,
    peakExternalMB: heap.externalMB,
    ...(learnedModel ? { learnedModel } : {}),
  });
  console.log(`Written to ${file}`);
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** The largest JavaScript heap and the largest memory held outside it (buffers), sampled each second. */
function sampleMemory(): { stop(): { heapMB: number; externalMB: number } } {
  let heap = 0;
  let external = 0;
  const started = Date.now();
  const log = process.env.QLP_BENCH_MEMORY_LOG;
  const sample = () => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    external = Math.max(external, m.external); // ArrayBuffers included
    if (log) appendFileSync(log, `${Math.round((Date.now() - started) / 1000)} s: rss ${mb(m.rss)} heap ${mb(m.heapUsed)} external ${mb(m.external)} MB\n`);
  };
  const timer = setInterval(sample, 1000);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { heapMB: mb(heap), externalMB: mb(external) };
    },
  };
}

/** The million-chunk run takes a quarter of an hour, so it has its own script; its last figures. */
function printScale(): void {
  const scale = readResults<SearchFigures>('search-scale');
  if (!scale) return console.log('million-chunk figures: none yet (npm run bench:search-scale)');
  const f = scale.figures;
  console.log(
    `million-chunk figures (bench/results/search-scale.json, ${scale.measuredAt.slice(0, 10)}, commit ${scale.commit}; npm run bench:search-scale measures them again): ` +
      `${f.indexing.chunks} chunks, ${f.indexing.chunksPerSecond} chunks/s (${f.indexing.withIndexBuildsChunksPerSecond} with index builds), ` +
      `query p50 ${f.queryMs.p50} ms / p95 ${f.queryMs.p95} ms, save searchable p50 ${f.saveMs.p50} ms / max ${f.saveMs.max} ms, peak RSS ${f.peakRssMB} MB`,
  );
}

if (Object.entries(allocatorEnv).every(([k, v]) => process.env[k] === v)) void main();
else {
  const run = spawnSync(process.execPath, [...process.execArgv, __filename], { stdio: 'inherit', env: { ...process.env, ...allocatorEnv } });
  process.exitCode = run.status ?? 1;
}
