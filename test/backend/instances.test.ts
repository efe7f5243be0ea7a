// Several backend instances over one private PostgreSQL cluster, as a company runs them: every
// durable byte lives in the database (an instance's --data folder stays empty and may be deleted),
// identical pushes through two instances at once end with one copy, a capsule pushed through one
// instance is listed by another within a second (LISTEN/NOTIFY, even after the listening
// connection is cut), a key revoked through one is refused by all at once, the rate limit holds over all instances, one instance killed mid-push
// leaves the others serving, and request logs are JSON lines with keys redacted.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { CapsuleStore } from '../../language-server/src/capsule/capsuleStore';
import { BackendClient } from '../../language-server/src/sync/client';
import { pullVersion } from '../../language-server/src/sync/pull';
import { adminKey, api, startBackendProcess, type BackendOptions, type BackendProcess } from '../support/backendProcess';
import { readTree, scratch } from '../support/capsuleFixtures';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../support/postgres';
import { makeCapsule, pushKilledMidway, pushWith, type LocalCapsule } from './capsules';

/** Pulls the capsule's latest version through `url` into a new folder; its files by path. */
async function pullThrough(url: string, key: string, id: string) {
  const out = join(scratch('qlp-instances-pull-'), 'copy');
  await pullVersion(new CapsuleStore(join(scratch('qlp-instances-store-'), 'capsules')), new BackendClient({ url, key }), { id }, out);
  return readTree(out);
}

function assertSameFiles(tree: ReturnType<typeof readTree>, files: Record<string, string | Buffer>): void {
  assert.deepEqual(Object.keys(tree).sort(), Object.keys(files).sort());
  for (const [path, content] of Object.entries(files)) assert.equal(tree[path].data, Buffer.from(content).toString('base64'), path);
}

const counter = (metrics: string, name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);

describe('several backend instances over one PostgreSQL database', { skip: postgresSkipReason() }, () => {
  let cluster: PostgresCluster;
  let sql: pg.Client;
  const instances: BackendProcess[] = [];
  const start = async (options: Partial<BackendOptions> = {}) => {
    const instance = await startBackendProcess({ databaseUrl: cluster.url, ...options });
    instances.push(instance);
    return instance;
  };

  before(async () => {
    cluster = await startPostgres();
    sql = new pg.Client({ connectionString: cluster.url });
    await sql.connect();
  });
  after(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await sql?.end();
    cluster?.stop();
  });

  it('keeps nothing in --data: a push through one instance, stopped and its folder deleted, pulls byte-exact through another', async () => {
    const dataA = scratch('qlp-instance-a-');
    const dataB = scratch('qlp-instance-b-');
    const a = await start({ data: dataA });
    const b = await start({ data: dataB });
    const files: Record<string, string | Buffer> = { 'README.md': '# stateless\n', 'bin/blob.bin': randomBytes(700_000), 'empty.txt': '' };
    for (let i = 0; i < 30; i++) files[`src/m${i}.ts`] = `export const m${i} = ${i};\n`;
    const capsule = await makeCapsule(files, { name: 'stateless' });
    assert.equal((await pushWith(capsule, a.url, adminKey)).created, true);
    assert.deepEqual(readdirSync(dataA), [], 'the instance wrote nothing to its --data folder');
    await a.stop();
    rmSync(dataA, { recursive: true, force: true });
    // The reading instance's folder may go too, while it runs.
    rmSync(dataB, { recursive: true, force: true });
    assertSameFiles(await pullThrough(b.url, adminKey, capsule.manifest.id), files);
  });

  it('takes the same push through two instances at once: both succeed, one copy is stored', async () => {
    const [a, b] = [await start(), await start()];
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 20; i++) files[`part${i}.bin`] = randomBytes(50_000);
    const capsule = await makeCapsule(files, { name: 'raced across instances' });
    const results = await Promise.all([a, b, a, b, a, b].map((instance) => pushWith(capsule, instance.url, adminKey)));
    assert.equal(results.filter((r) => r.created).length, 1, JSON.stringify(results));
    const shas = capsule.manifest.files.map((f) => f.sha256);
    const count = async (query: string) => Number((await sql.query(query, [shas])).rows[0].n);
    assert.equal(await count('SELECT count(*) AS n FROM blobs WHERE sha256 = ANY($1)'), 20);
    assert.equal(await count("SELECT count(*) AS n FROM team_blobs WHERE team = 'default' AND sha256 = ANY($1)"), 20);
    assert.equal(Number((await sql.query('SELECT count(*) AS n FROM capsule_versions WHERE capsule_id = $1', [capsule.manifest.id])).rows[0].n), 1);
    const audit = (await api(b.url, adminKey)('/v1/audit?action=capsule.push&limit=1000')).json.entries.filter(
      (e: { target: string }) => e.target === `${capsule.manifest.id}@1`,
    );
    assert.equal(audit.length, 1);
  });

  it('lists a capsule pushed through one instance on another within a second, cached meanwhile, even after the listening connection is cut', async () => {
    const [a, b] = [await start(), await start()];
    const listB = api(b.url, adminKey);
    const seenAfter = async (capsule: LocalCapsule): Promise<number> => {
      await pushWith(capsule, a.url, adminKey);
      const pushed = performance.now();
      for (;;) {
        const ids = (await listB('/v1/capsules')).json.capsules.map((c: { id: string }) => c.id);
        const waited = performance.now() - pushed;
        if (ids.includes(capsule.manifest.id)) return waited;
        if (waited > 5000) return waited;
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await listB('/v1/capsules');
      const before = counter((await listB('/metrics')).text, 'qlp_list_cache_hits_total');
      await listB('/v1/capsules');
      assert.equal(counter((await listB('/metrics')).text, 'qlp_list_cache_hits_total'), before + 1, 'the list is served from the cache');
      waits.push(await seenAfter(await makeCapsule({ 'n.txt': `fresh ${i}\n` }, { name: `fresh ${i}` })));
    }
    console.log(`# list freshness across instances: ${waits.map((w) => w.toFixed(0)).join(', ')} ms (max ${Math.max(...waits).toFixed(0)} ms)`);
    assert.ok(Math.max(...waits) < 1000, `a push showed in the other instance's list after ${Math.max(...waits).toFixed(0)} ms`);

    // Cut every listening connection: until an instance listens again it caches nothing, so no push is missed.
    const cut = await sql.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
    assert.ok(cut.rowCount! >= 2, `${cut.rowCount} listening connections were cut`);
    const afterCut = await seenAfter(await makeCapsule({ 'n.txt': 'after the cut\n' }, { name: 'after the cut' }));
    assert.ok(afterCut < 1000, `after the cut, a push showed after ${afterCut.toFixed(0)} ms`);
    // And the instance listens (and caches) again.
    const deadline = Date.now() + 10_000;
    let hits = 0;
    while (Date.now() < deadline && hits === 0) {
      const before = counter((await listB('/metrics')).text, 'qlp_list_cache_hits_total');
      await listB('/v1/capsules');
      await listB('/v1/capsules');
      hits = counter((await listB('/metrics')).text, 'qlp_list_cache_hits_total') - before;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(hits > 0, 'the list cache works again once the instance listens again');
    assert.ok((await seenAfter(await makeCapsule({ 'n.txt': 'relistened\n' }, { name: 'relistened' }))) < 1000);
  });

  it('refuses a key revoked through one instance on another at once, not after its 5-second cache', async () => {
    const [a, b] = [await start(), await start()];
    const made = (await api(a.url, adminKey)('/v1/keys', { method: 'POST', json: { name: 'leaving', role: 'reader' } })).json;
    assert.equal((await api(b.url, made.key)('/v1/whoami')).status, 200, 'b now caches the key');
    assert.equal((await api(a.url, adminKey)(`/v1/keys/${made.id}`, { method: 'DELETE' })).status, 200);
    const revoked = performance.now();
    let status = 200;
    while (status === 200 && performance.now() - revoked < 5000) {
      status = (await api(b.url, made.key)('/v1/whoami')).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 10));
    }
    const waited = performance.now() - revoked;
    assert.equal(status, 401);
    assert.ok(waited < 1000, `the revoked key still worked on the other instance for ${waited.toFixed(0)} ms`);
  });

  it('holds the rate limit over three instances: at most the limit plus 10%, then 429 with Retry-After', async () => {
    const limit = 60;
    const trio = [await start({ rateLimit: limit }), await start({ rateLimit: limit }), await start({ rateLimit: limit })];
    const key = (await api(trio[0].url, adminKey)('/v1/keys', { method: 'POST', json: { name: 'limited', role: 'reader' } })).json.key;
    const started = performance.now();
    const answers = [];
    for (let round = 0; round < 15; round++) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => api(trio[(round * 10 + i) % 3].url, key)('/v1/whoami')))));
    }
    const seconds = (performance.now() - started) / 1000;
    const allowed = answers.filter((a) => a.status === 200).length;
    const limited = answers.filter((a) => a.status === 429);
    console.log(
      `# shared rate limit ${limit}/min over 3 instances: ${allowed} of ${answers.length} allowed in ${seconds.toFixed(1)} s (overshoot ${allowed - limit})`,
    );
    assert.equal(allowed + limited.length, answers.length, 'every answer is a 200 or a 429');
    assert.ok(allowed <= limit * 1.1, `${allowed} requests were allowed`);
    assert.ok(allowed >= limit - 3, `only ${allowed} requests were allowed`);
    for (const answer of limited) assert.ok(Number(answer.headers.get('retry-after')) >= 1);

    // Requests without a valid key, by address, over the three instances alike.
    const guesses = [];
    for (let round = 0; round < 15; round++) {
      guesses.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => api(trio[i % 3].url, `guess-${randomBytes(8).toString('hex')}`)('/v1/whoami')))));
    }
    const looked = guesses.filter((g) => g.status === 401).length;
    console.log(`# address limit ${limit}/min over 3 instances: ${looked} of ${guesses.length} guessed keys looked up`);
    assert.ok(looked <= limit * 1.1, `${looked} guesses reached a key lookup`);
    assert.equal(guesses.filter((g) => g.status === 429).length, guesses.length - looked);
    // The address bucket of 127.0.0.1 is spent; the tests after this one start with full buckets.
    await sql.query('DELETE FROM rate_limits');
  });

  it('keeps serving through one instance while another is killed in the middle of a push, and the retry completes there', async () => {
    const [a, b] = [await start(), await start()];
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 12; i++) files[`chunk${i}.bin`] = randomBytes(1024 * 1024);
    const capsule = await makeCapsule(files, { name: 'killed mid-push' });
    let pushing = true;
    const served: number[] = [];
    const serving = (async () => {
      while (pushing) {
        served.push((await api(b.url, adminKey)('/v1/capsules')).status);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await pushKilledMidway(capsule, a);
    // B goes on answering for a moment after the kill.
    await new Promise((r) => setTimeout(r, 300));
    pushing = false;
    await serving;
    assert.ok(served.length > 3 && served.every((s) => s === 200), `the other instance answered ${served.join(', ')}`);
    assert.equal((await api(b.url, adminKey)(`/v1/capsules/${capsule.manifest.id}`)).status, 404, 'no half capsule');
    const retry = await pushWith(capsule, b.url, adminKey);
    assert.equal(retry.created, true);
    assert.ok(retry.blobsSent < 12, `blobs stored before the kill are not sent again (sent ${retry.blobsSent})`);
    assertSameFiles(await pullThrough(b.url, adminKey, capsule.manifest.id), files);
  });

  it('logs each request as one JSON line, with the key redacted', async () => {
    const logged = await start({ logRequests: true });
    assert.equal((await api(logged.url, adminKey)('/v1/whoami', {}, { 'user-agent': 'instances-test' })).status, 200);
    await new Promise((r) => setTimeout(r, 100));
    const lines = logged
      .log()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const line = lines.find((l) => l.req?.url === '/v1/whoami');
    assert.ok(line, logged.log());
    assert.deepEqual(
      [line.res.statusCode, line.keyName, line.team, line.req.headers.authorization, line.req.headers['user-agent']],
      [200, 'admin (QLP_ADMIN_KEY)', 'default', '[Redacted]', 'instances-test'],
    );
    assert.equal(typeof line.responseTimeMs, 'number');
    assert.ok(!logged.log().includes(adminKey), 'the key never reaches the log');
  });
});

describe('an instance whose PostgreSQL goes away', { skip: postgresSkipReason() }, () => {
  it('answers 503 with Retry-After in the one error shape, never a 500, and /healthz says it is down', async () => {
    const cluster = await startPostgres();
    const instance = await startBackendProcess({ databaseUrl: cluster.url });
    const call = api(instance.url, adminKey);
    try {
      assert.equal((await call('/v1/capsules')).status, 200);
      cluster.stop();
      const down = await call('/v1/capsules');
      assert.equal(down.status, 503, down.text);
      assert.equal(down.headers.get('retry-after'), '5');
      assert.match(down.json.error, /database is unreachable/);
      // The health check says the instance cannot serve, so a proxy stops sending it requests.
      assert.equal((await fetch(`${instance.url}/healthz`)).status, 503);
    } finally {
      await instance.stop();
      cluster.stop();
    }
  });
});
