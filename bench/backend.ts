// `npm run bench:backend`: the team backend's figures, with load from this process (a second
// process) on loopback, bounded in time. Targets: GET /v1/capsules ≥ 2,000 requests/s with
// p99 < 50 ms at 32 concurrent clients on the embedded database; a 200-file push < 1 s; a second
// push of the same capsule sends no blobs. PostgreSQL's figures follow when it is installed.
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { CapsuleService } from '../language-server/src/capsule/service';
import { BackendClient } from '../language-server/src/sync/client';
import { pushVersion } from '../language-server/src/sync/push';
import { adminKey, startBackendProcess, type BackendOptions } from '../test/support/backendProcess';
import { scratch } from '../test/support/capsuleFixtures';
import { postgresSkipReason, startPostgres } from '../test/support/postgres';
import { project } from './sampleProject';

const clients = 32;
const seconds = Number(process.env.QLP_BENCH_SECONDS) || 10;

/** `clients` loops sending GET `path` over keep-alive connections for `ms`; latencies in ms. */
async function load(base: string, path: string, ms: number): Promise<{ latencies: number[]; errors: number; elapsed: number }> {
  const url = new URL(path, base);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + ms;
  const once = () =>
    new Promise<void>((done) => {
      const sent = performance.now();
      const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, agent, headers: { authorization: `Bearer ${adminKey}` } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - sent);
          else errors++;
          done();
        });
      });
      req.on('error', () => {
        errors++;
        done();
      });
      req.end();
    });
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < until) await once();
  }));
  agent.destroy();
  return { latencies, errors, elapsed: performance.now() - started };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(name: string, options: BackendOptions): Promise<void> {
  const backend = await startBackendProcess({ ...options, rateLimit: 1_000_000_000 });
  try {
    const client = new BackendClient({ url: backend.url, key: adminKey });
    // A store with a few dozen small capsules, so the list has something to say.
    const ws = scratch('qlp-bench-backend-');
    const service = await CapsuleService.open(join(scratch('qlp-bench-home-'), 'qlp'), ws);
    for (let i = 0; i < 30; i++) {
      const folder = join(ws, `small-${i}`);
      project(folder, 3);
      const created = await service.create({ folder });
      await pushVersion(service.store, await service.manifest({ id: created.id }), client);
    }

    // Push figures: three fresh 200-file, 5 MB capsules, then one of them again.
    const pushes: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      const folder = join(ws, `big-${i}`);
      project(folder);
      const created = await service.create({ folder });
      last = await service.manifest({ id: created.id });
      const started = performance.now();
      const report = await pushVersion(service.store, last, client);
      pushes.push(performance.now() - started);
      if (report.blobsSent !== 200) throw new Error(`expected 200 blobs sent, got ${report.blobsSent}`);
    }
    const again = performance.now();
    const second = await pushVersion(service.store, last!, client);
    const secondMs = performance.now() - again;

    await load(backend.url, '/v1/capsules', 2000); // warm up
    const run = await load(backend.url, '/v1/capsules', seconds * 1000);
    const sorted = [...run.latencies].sort((a, b) => a - b);
    const rate = run.latencies.length / (run.elapsed / 1000);
    console.log(`\n${name} (load average ${loadavg()[0].toFixed(1)})`);
    console.log(`  GET /v1/capsules, ${clients} clients, ${seconds} s: ${Math.round(rate)} requests/s, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, ${run.errors} errors`);
    console.log(`  push of a new 200-file, 5 MB capsule: ${pushes.map((ms) => `${Math.round(ms)} ms`).join(', ')} (median ${Math.round([...pushes].sort((a, b) => a - b)[1])} ms)`);
    console.log(`  second push of the same capsule: ${second.blobsSent} blobs, ${second.bytesSent} bytes sent, ${Math.round(secondMs)} ms`);
  } finally {
    await backend.stop();
  }
}

async function main(): Promise<void> {
  console.log(`Backend benchmark (load from a second process on loopback, ${clients} clients; load average ${loadavg()[0].toFixed(1)})`);
  await measure('Embedded database (PGlite)', { data: scratch('qlp-bench-db-') });
  if (postgresSkipReason() === undefined) {
    const cluster = await startPostgres();
    try {
      await measure('PostgreSQL 15 (private cluster on loopback)', { databaseUrl: cluster.url });
    } finally {
      cluster.stop();
    }
  }
}

if (resolve(process.argv[1] ?? '') === resolve(__filename)) void main();
