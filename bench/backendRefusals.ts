// `node --import tsx bench/backendRefusals.ts` (after `npm run bundle`), by hand: how fast the team
// backend refuses a manifest of paths 2,048 levels deep (1,000 and 3,800 of them, 4,096 characters
// each, a wrong digest, no blobs), and how long /healthz takes meanwhile, on the embedded database
// and, when installed, PostgreSQL. Writes bench/results/backend-refusals.json.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { deepPaths, manifestWithPaths, median, timeRefusal } from '../test/backend/deepManifest';
import { adminKey, api, startBackendProcess, type BackendOptions } from '../test/support/backendProcess';
import { scratch } from '../test/support/capsuleFixtures';
import { postgresSkipReason, startPostgres } from '../test/support/postgres';
import { writeResults } from './results';

const runs = 7;
const round = (ms: number) => Math.round(ms * 10) / 10;

async function measure(options: BackendOptions) {
  const backend = await startBackendProcess(options);
  try {
    const writer = (await api(backend.url, adminKey)('/v1/keys', { method: 'POST', json: { name: 'bench writer', role: 'writer' } })).json.key as string;
    const results = [];
    for (const paths of [1000, 3800]) {
      const manifest = manifestWithPaths('deep-paths', deepPaths(paths));
      await timeRefusal(backend.url, writer, 'deep-paths', manifest); // warm-up
      const timings = [];
      for (let i = 0; i < runs; i++) timings.push(await timeRefusal(backend.url, writer, 'deep-paths', manifest));
      if (timings.some((t) => t.status !== 400)) throw new Error(`expected 400, got ${timings.map((t) => t.status).join(', ')}`);
      const refusals = timings.map((t) => t.refusalMs);
      const healthz = timings.flatMap((t) => t.healthzMs);
      results.push({
        paths,
        levelsPerPath: 2048,
        charactersPerPath: 4096,
        bodyBytes: timings[0].bodyBytes,
        status: timings[0].status,
        error: timings[0].error,
        refusalMs: { median: round(median(refusals)), max: round(Math.max(...refusals)), runs: refusals.map(round) },
        healthzMeanwhileMs: { answers: healthz.length, median: round(median(healthz)), max: round(Math.max(...healthz)) },
      });
      console.log(
        `  ${paths} paths (${(timings[0].bodyBytes / 1e6).toFixed(1)} MB): refused in ${round(median(refusals))} ms (median of ${runs}, max ${round(Math.max(...refusals))}); /healthz meanwhile median ${round(median(healthz))} ms, max ${round(Math.max(...healthz))} ms (${healthz.length} answers)`,
      );
    }
    return results;
  } finally {
    await backend.stop();
  }
}

async function main(): Promise<void> {
  const started = loadavg()[0];
  console.log(`Backend refusals (load average ${started.toFixed(1)})\nEmbedded database (PGlite)`);
  const databases: Record<string, unknown> = { embedded: await measure({ data: scratch('qlp-bench-refusals-') }) };
  if (postgresSkipReason() === undefined) {
    console.log('PostgreSQL (private cluster on loopback)');
    const cluster = await startPostgres();
    try {
      databases.postgres = await measure({ databaseUrl: cluster.url });
    } finally {
      cluster.stop();
    }
  }
  const out = writeResults('backend-refusals', { loadAverage: { start: round(started), end: round(loadavg()[0]) }, runsPerCase: runs, databases });
  console.log(`wrote ${out}`);
}

if (resolve(process.argv[1] ?? '') === resolve(__filename)) void main();
