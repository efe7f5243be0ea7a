// `npm run bench:backend`: the team backend as a company runs it — two instances over one
// PostgreSQL database (a private cluster on loopback) holding 500 capsules — with load from this
// process on loopback, bounded in time. Targets: GET /v1/capsules (50 a page) ≥ 2,000 requests/s
// with p99 < 50 ms at 32 clients spread over both instances; a push of a new 200-file, 5 MB
// capsule < 1 s; its pull through the other instance. Also: how soon a push through one instance
// shows in the other's (cached) list, how many requests the shared rate limit lets through two
// instances, what one shared rate-limit statement costs, and the embedded database (one instance)
// for comparison. Each figure is the median of
// three runs; every run is kept. Writes bench/results/backend.json with the machine, date and commit.
import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { CapsuleService } from '../language-server/src/capsule/service';
import { CapsuleStore } from '../language-server/src/capsule/capsuleStore';
import { BackendClient } from '../language-server/src/sync/client';
import { pullVersion } from '../language-server/src/sync/pull';
import { pushVersion } from '../language-server/src/sync/push';
import { takeTokens } from '../backend/src/sharedRateLimit';
import { makeCapsule } from '../test/backend/capsules';
import { adminKey, startBackendProcess, type BackendOptions, type BackendProcess } from '../test/support/backendProcess';
import { scratch } from '../test/support/capsuleFixtures';
import { postgresSkipReason, startPostgres } from '../test/support/postgres';
import { writeResults } from './results';
import { project } from './sampleProject';

const clients = 32;
const capsulesInDatabase = 500;
const runs = 3;
const seconds = Number(process.env.QLP_BENCH_SECONDS) || 10;

const round = (n: number) => Math.round(n * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** `clients` loops sending GET `path`, spread over `bases`, on keep-alive connections for `ms`. */
async function load(bases: string[], path: string, ms: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + ms;
  const once = (url: URL) =>
    new Promise<void>((done) => {
      const sent = performance.now();
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, agent, headers: { authorization: `Bearer ${adminKey}` } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) latencies.push(performance.now() - sent);
            else errors++;
            done();
          });
        },
      );
      req.on('error', () => {
        errors++;
        done();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const url = new URL(path, bases[i % bases.length]);
      while (performance.now() < until) await once(url);
    }),
  );
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const elapsed = performance.now() - started;
  return {
    requestsPerSecond: Math.round(latencies.length / (elapsed / 1000)),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    errors,
  };
}

/** Fills the database with small capsules (3 files each) through the API, 8 pushes at a time. */
async function seed(url: string, count: number): Promise<void> {
  const client = new BackendClient({ url, key: adminKey });
  const store = new CapsuleStore(join(scratch('qlp-bench-seed-'), 'capsules'));
  for (let i = 0; i < count; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, count - i) }, async (_, j) => {
        const n = i + j;
        const capsule = await makeCapsule(
          { 'README.md': `# capsule ${n}\n`, [`src/part-${n}.ts`]: `export const part = ${n};\n`, 'package.json': `{"name":"c${n}"}\n` },
          { name: `capsule ${n}`, requirements: `Requirement number ${n}`, store },
        );
        await pushVersion(store, capsule.manifest, client);
      }),
    );
  }
}

/** Pushes new 200-file, 5 MB capsules through `pushTo` and pulls each through `pullFrom`. */
async function pushesAndPulls(pushTo: string, pullFrom: string) {
  const ws = scratch('qlp-bench-backend-');
  const service = await CapsuleService.open(join(scratch('qlp-bench-home-'), 'qlp'), ws);
  const pushMs: number[] = [];
  const pullMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const folder = join(ws, `big-${i}`);
    bytes = project(folder);
    const created = await service.create({ folder });
    const manifest = await service.manifest({ id: created.id });
    const started = performance.now();
    const report = await pushVersion(service.store, manifest, new BackendClient({ url: pushTo, key: adminKey }));
    pushMs.push(performance.now() - started);
    if (report.blobsSent !== 200) throw new Error(`expected 200 blobs sent, got ${report.blobsSent}`);
    const pulling = performance.now();
    const pulled = await pullVersion(
      new CapsuleStore(join(scratch('qlp-bench-pull-'), 'capsules')),
      new BackendClient({ url: pullFrom, key: adminKey }),
      { id: created.id },
      join(scratch('qlp-bench-pull-'), 'copy'),
    );
    pullMs.push(performance.now() - pulling);
    if (pulled.files !== 200) throw new Error(`expected 200 files pulled, got ${pulled.files}`);
  }
  return {
    files: 200,
    bytes,
    pushMs: { median: round(median(pushMs)), runs: pushMs.map(round) },
    pullMs: { median: round(median(pullMs)), runs: pullMs.map(round) },
  };
}

/** The list under load, `runs` times after a warm-up; the median run by requests/s. */
async function listLoad(bases: string[]) {
  // Each answer is a full page: 50 capsules.
  const page = await new BackendClient({ url: bases[0], key: adminKey }).bytes('/v1/capsules?limit=50');
  const listed = (JSON.parse(page.toString('utf8')) as { capsules: unknown[] }).capsules.length;
  if (listed !== 50) throw new Error(`expected a page of 50 capsules, got ${listed}`);
  await load(bases, '/v1/capsules?limit=50', 2000);
  const measured = [];
  for (let i = 0; i < runs; i++) measured.push(await load(bases, '/v1/capsules?limit=50', seconds * 1000));
  const byRate = [...measured].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return {
    clients,
    seconds,
    pageSize: 50,
    bytesPerAnswer: page.byteLength,
    median: { requestsPerSecond: byRate[1].requestsPerSecond, p50Ms: median(measured.map((m) => m.p50Ms)), p99Ms: median(measured.map((m) => m.p99Ms)) },
    runs: measured,
  };
}

/** One shared rate-limit statement (what a request costs when its instance's lease is spent). */
async function rateLimitStatement(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = { query: async (text: string, params?: unknown[]) => (await pool.query(text, params)).rows };
  try {
    const sequential: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const started = performance.now();
      await takeTokens(db, 'bench:one-key', 1e9, 1);
      sequential.push(performance.now() - started);
    }
    sequential.sort((a, b) => a - b);
    // 32 callers taking from one bucket at once: its row lock orders them.
    let taken = 0;
    const started = performance.now();
    const until = started + 3000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          await takeTokens(db, 'bench:one-key', 1e9, 1);
          taken++;
        }
      }),
    );
    return {
      sequentialP50Ms: round(percentile(sequential, 50)),
      sequentialP99Ms: round(percentile(sequential, 99)),
      oneBucket32CallersPerSecond: Math.round(taken / ((performance.now() - started) / 1000)),
    };
  } finally {
    await pool.end();
  }
}

/** How long after a push through `pushTo` the list of `listFrom` (its cache warm) shows the capsule, 10 times. */
async function listFreshness(pushTo: string, listFrom: string) {
  const store = new CapsuleStore(join(scratch('qlp-bench-fresh-'), 'capsules'));
  const list = new BackendClient({ url: listFrom, key: adminKey });
  const waits: number[] = [];
  for (let i = 0; i < 10; i++) {
    await list.bytes('/v1/capsules?limit=50');
    const capsule = await makeCapsule({ 'fresh.txt': `fresh ${i} ${Date.now()}\n` }, { name: `fresh ${i}`, store });
    await pushVersion(store, capsule.manifest, new BackendClient({ url: pushTo, key: adminKey }));
    const pushed = performance.now();
    while (!(await list.bytes('/v1/capsules?limit=50')).toString('utf8').includes(`"${capsule.manifest.id}"`)) {
      if (performance.now() - pushed > 10_000) throw new Error('a pushed capsule was not listed by the other instance within 10 s');
      await new Promise((r) => setTimeout(r, 2));
    }
    waits.push(performance.now() - pushed);
  }
  return { medianMs: round(median(waits)), maxMs: round(Math.max(...waits)), runs: waits.map(round) };
}

/** One key sending 200 requests, 10 at a time, alternately to two instances started with --rate-limit 60. */
async function sharedLimit(databaseUrl: string) {
  const limit = 60;
  return withInstances(
    [{ databaseUrl }, { databaseUrl }],
    async (pair) => {
      const key = (
        await new BackendClient({ url: pair[0].url, key: adminKey }).json<{ key: string }>('/v1/keys', {
          method: 'POST',
          json: { name: `limited ${Date.now()}`, role: 'reader' },
        })
      ).key;
      const started = performance.now();
      const statuses: number[] = [];
      for (let round = 0; round < 20; round++) {
        statuses.push(
          ...(await Promise.all(
            Array.from({ length: 10 }, async (_, i) => (await fetch(`${pair[i % 2].url}/v1/whoami`, { headers: { authorization: `Bearer ${key}` } })).status),
          )),
        );
      }
      const allowed = statuses.filter((s) => s === 200).length;
      return {
        instances: 2,
        limitPerMinute: limit,
        requests: statuses.length,
        allowed,
        refused429: statuses.filter((s) => s === 429).length,
        seconds: round((performance.now() - started) / 1000),
        overshoot: allowed - limit,
      };
    },
    limit,
  );
}

async function withInstances<T>(options: BackendOptions[], work: (instances: BackendProcess[]) => Promise<T>, rateLimit = 1_000_000_000): Promise<T> {
  const instances: BackendProcess[] = [];
  try {
    for (const o of options) instances.push(await startBackendProcess({ ...o, rateLimit }));
    return await work(instances);
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
  }
}

async function main(): Promise<void> {
  const loadStart = loadavg()[0];
  console.log(`Backend benchmark (${clients} clients from one process on loopback, ${runs} runs each; load average ${loadStart.toFixed(1)})`);
  const results: Record<string, unknown> = {};
  if (postgresSkipReason() !== undefined) throw new Error("the backend benchmark needs PostgreSQL (Debian's postgresql package)");
  const cluster = await startPostgres();
  try {
    results.postgresTwoInstances = await withInstances([{ databaseUrl: cluster.url }, { databaseUrl: cluster.url }], async ([a, b]) => {
      await seed(a.url, capsulesInDatabase);
      const transfer = await pushesAndPulls(a.url, b.url);
      const list = await listLoad([a.url, b.url]);
      const freshness = await listFreshness(a.url, b.url);
      console.log(`PostgreSQL, two instances, ${capsulesInDatabase}+ capsules`);
      console.log(
        `  GET /v1/capsules (50 a page): ${list.median.requestsPerSecond} requests/s, p50 ${list.median.p50Ms} ms, p99 ${list.median.p99Ms} ms (runs: ${list.runs.map((r) => r.requestsPerSecond).join(', ')})`,
      );
      console.log(
        `  push of a new 200-file, ${(transfer.bytes / 1e6).toFixed(1)} MB capsule: ${transfer.pushMs.median} ms; its pull through the other instance: ${transfer.pullMs.median} ms`,
      );
      console.log(`  a push through one instance listed by the other after ${freshness.medianMs} ms (median of 10, max ${freshness.maxMs} ms)`);
      return { capsules: capsulesInDatabase + runs, list, ...transfer, listFreshnessAcrossInstances: freshness };
    });
    results.sharedRateLimit = await sharedLimit(cluster.url);
    console.log(`  shared rate limit: ${JSON.stringify(results.sharedRateLimit)}`);
    results.sharedRateLimitStatement = await rateLimitStatement(cluster.url);
    console.log(`  one shared rate-limit statement: ${JSON.stringify(results.sharedRateLimitStatement)}`);
  } finally {
    cluster.stop();
  }
  results.embeddedOneInstance = await withInstances([{ data: scratch('qlp-bench-db-') }], async ([only]) => {
    await seed(only.url, capsulesInDatabase);
    const transfer = await pushesAndPulls(only.url, only.url);
    const list = await listLoad([only.url]);
    console.log(
      `Embedded database (PGlite), one instance: ${list.median.requestsPerSecond} requests/s, p99 ${list.median.p99Ms} ms; push ${transfer.pushMs.median} ms, pull ${transfer.pullMs.median} ms`,
    );
    return { capsules: capsulesInDatabase + runs, list, ...transfer };
  });

  const dirty =
    execFileSync('git', ['status', '--porcelain', '--', 'backend', 'bench/backend.ts'], { cwd: join(__dirname, '..') })
      .toString()
      .trim() !== '';
  const out = writeResults('backend', { loadAverage: { start: round(loadStart), end: round(loadavg()[0]) }, uncommittedBackendChanges: dirty, ...results });
  console.log(`wrote ${out}`);
}

if (resolve(process.argv[1] ?? '') === resolve(__filename)) void main();
