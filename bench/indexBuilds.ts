// `npm run bench:index-builds`: the memory of LanceDB's index builds at a million chunks, which
// hold the search index's highest resident memory (docs/search.md, *Figures*). One synthetic table
// of QLP_BENCH_ROWS chunks (default 1,000,000: unit vectors, and terms drawn from a Zipf
// vocabulary as code's are), copied once per setting; each copy gets the product's whole build
// (`ChunkStore.finish`: compaction, full text, IVF-PQ, B-trees) in its own process, with
//   - LanceDB's own full-text defaults and two malloc arenas (what QLP shipped before),
//   - QLP's full-text bounds (index/store.ts) and two arenas,
//   - those bounds and the shipped malloc settings (protocol/allocator.ts).
// Prints and writes the peak RSS (sampled every 50 ms) and time of each to
// bench/results/index-builds.json.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChunkStore, tableName, type ChunkRow } from '../language-server/src/index/store';
import { allocatorEnv } from '../protocol/allocator';
import { seeded } from '../test/support/seeded';
import { writeResults } from './results';

const rows = Number(process.env.QLP_BENCH_ROWS) || 1_000_000;
const dimensions = 256;
const table = tableName('learned', dimensions);
const work = join(tmpdir(), 'qlp-bench-index-builds');

interface Setting {
  name: string;
  env: Record<string, string>;
  /** Whether the build keeps LanceDB's own full-text defaults instead of QLP's bounds. */
  lanceFtsDefaults: boolean;
}

const settings: Setting[] = [
  { name: "LanceDB's full-text defaults, two malloc arenas", env: { MALLOC_ARENA_MAX: '2' }, lanceFtsDefaults: true },
  { name: "QLP's full-text bounds, two malloc arenas", env: { MALLOC_ARENA_MAX: '2' }, lanceFtsDefaults: false },
  { name: "QLP's full-text bounds and malloc settings (shipped)", env: { ...allocatorEnv }, lanceFtsDefaults: false },
];

async function buildTable(dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  const store = await ChunkStore.open(dir, table, dimensions, Number.MAX_SAFE_INTEGER);
  const next = seeded(7);
  const vocabulary = 50_000;
  const word = () => `w${Math.floor(vocabulary ** next())}`; // roughly Zipf: small ids are common
  for (let start = 0; start < rows; start += 2048) {
    const batch: ChunkRow[] = [];
    for (let i = start; i < Math.min(rows, start + 2048); i++) {
      const terms = Array.from({ length: 60 }, word).join(' ');
      const vector = Float32Array.from({ length: dimensions }, () => next() - 0.5);
      const norm = Math.hypot(...vector);
      const path = `pkg${Math.floor(i / 400)}/file${Math.floor(i / 8)}.ts`;
      batch.push({
        id: `${path}#${i % 8}`,
        path,
        startLine: 1,
        endLine: 20,
        symbol: `f${i}`,
        language: 'typescript',
        text: terms,
        terms,
        vector: vector.map((x) => x / norm),
      });
    }
    await store.add(batch);
  }
  store.close();
}

/** In the child: the product's build of one copy, with its peak RSS. */
async function measureBuild(dir: string, lanceFtsDefaults: boolean): Promise<void> {
  if (lanceFtsDefaults) {
    // index/store.ts sets its bounds on import; LanceDB reads them only at its first build.
    delete process.env.LANCE_FTS_NUM_SHARDS;
    delete process.env.LANCE_FTS_PARTITION_SIZE;
  }
  const store = await ChunkStore.open(dir, table, dimensions);
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  await store.finish();
  clearInterval(timer);
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  console.log(
    JSON.stringify({
      beforeMB: mb(before),
      peakRssMB: Math.max(mb(peak), Math.round(process.resourceUsage().maxRSS / 1024)),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    }),
  );
  store.close();
}

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const base = join(work, 'base');
  const t = performance.now();
  await buildTable(base);
  console.log(`synthetic table: ${rows.toLocaleString('en-US')} chunks written in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  const builds = [];
  for (const setting of settings) {
    const copy = join(work, 'copy');
    rmSync(copy, { recursive: true, force: true });
    cpSync(base, copy, { recursive: true });
    const env = { ...withoutAllocatorEnv(process.env), ...setting.env };
    const run = spawnSync(process.execPath, [...process.execArgv, __filename, 'child', copy, String(setting.lanceFtsDefaults)], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (run.status !== 0) throw new Error(`the build with ${setting.name} failed (exit ${run.status})`);
    const measured = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { beforeMB: number; peakRssMB: number; seconds: number };
    console.log(`${setting.name}: peak RSS ${measured.peakRssMB} MB (${measured.beforeMB} MB before), ${measured.seconds} s`);
    builds.push({ setting: setting.name, env: setting.env, lanceFtsDefaults: setting.lanceFtsDefaults, ...measured });
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`Written to ${writeResults('index-builds', { rows, builds })}`);
}

function withoutAllocatorEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of Object.keys(allocatorEnv)) delete out[name];
  return out;
}

const [role, dir, defaults] = process.argv.slice(2);
(role === 'child' ? measureBuild(dir, defaults === 'true') : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
