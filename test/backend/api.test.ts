// The team backend's HTTP API, as a process over each database: auth refusals, roles, revoked
// keys, rate limits, fuzzed and malformed bodies (never a 500), search, usage, audit, health,
// metrics and the OpenAPI document.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminKey, api, databasesUnderTest, startBackendProcess, type BackendProcess } from '../support/backendProcess';
import { makeCapsule, pushWith } from './capsules';

const emptySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

for (const database of databasesUnderTest()) {
  describe(`backend API over ${database.name}`, { skip: database.skip }, () => {
    let backend: BackendProcess;
    let admin: ReturnType<typeof api>;
    const keys: Record<'reader' | 'writer', string> = { reader: '', writer: '' };

    before(async () => {
      backend = await startBackendProcess(await database.options());
      admin = api(backend.url, adminKey);
      for (const role of ['reader', 'writer'] as const) {
        const made = await admin('/v1/keys', { method: 'POST', json: { name: `${role} key`, role } });
        assert.equal(made.status, 201, made.text);
        keys[role] = made.json.key;
      }
    });
    after(async () => {
      await backend?.stop();
      database.dispose();
    });

    it('answers health without a key and everything under /v1 only with one', async () => {
      const health = await api(backend.url, undefined)('/healthz');
      assert.equal(health.status, 200);
      assert.equal(health.json.status, 'ok');
      const none = await api(backend.url, undefined)('/v1/capsules');
      assert.equal(none.status, 401);
      assert.match(none.json.error, /API key/);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      const wrong = await api(backend.url, 'qlp_not-a-real-key')('/v1/capsules');
      assert.equal(wrong.status, 401);
      const basic = await fetch(`${backend.url}/v1/capsules`, { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
      assert.equal(basic.status, 401);
    });

    it('lets each role do what it may and answers 403 past it', async () => {
      const reader = api(backend.url, keys.reader);
      const writer = api(backend.url, keys.writer);
      assert.equal((await reader('/v1/capsules')).status, 200);
      assert.equal((await reader('/v1/whoami')).json.role, 'reader');
      const readerPush = await reader('/v1/blobs/missing', { method: 'POST', json: { sha256s: [] } });
      assert.equal(readerPush.status, 403);
      assert.match(readerPush.json.error, /writer role/);
      assert.equal((await writer('/v1/blobs/missing', { method: 'POST', json: { sha256s: [] } })).status, 200);
      assert.equal((await writer('/v1/keys')).status, 403);
      assert.equal((await writer('/v1/audit')).status, 403);
      assert.equal((await admin('/v1/keys')).status, 200);
    });

    it('keeps only hashes of keys, and refuses a revoked key', async () => {
      const made = await admin('/v1/keys', { method: 'POST', json: { name: 'short-lived', role: 'reader' } });
      const listed = await admin('/v1/keys');
      assert.ok(!listed.text.includes(made.json.key), 'the key list must not hold a key');
      assert.ok(!listed.text.includes(adminKey));
      assert.equal((await api(backend.url, made.json.key)('/v1/capsules')).status, 200);
      assert.equal((await admin(`/v1/keys/${made.json.id}`, { method: 'DELETE' })).status, 200);
      assert.equal((await api(backend.url, made.json.key)('/v1/capsules')).status, 401);
      const audit = await admin('/v1/audit?action=key.revoke');
      assert.equal(audit.json.entries[0].target, made.json.id);
      assert.equal(audit.json.entries[0].keyName, 'admin (QLP_ADMIN_KEY)');
    });

    it('pushes, lists and searches capsules by name, requirements and paths, and audits the push', async () => {
      const capsule = await makeCapsule(
        { 'src/invoice_parser.ts': 'export {};\n', 'README.md': '# Billing\n' },
        { name: 'billing tools', requirements: 'Parse PDF invoices' },
      );
      const pushed = await pushWith(capsule, backend.url, keys.writer);
      assert.equal(pushed.created, true);
      const reader = api(backend.url, keys.reader);
      for (const q of ['billing', 'pdf invoices', 'invoice_parser']) {
        const found = await reader(`/v1/capsules?q=${encodeURIComponent(q)}`);
        assert.deepEqual(
          found.json.capsules.map((c: { id: string }) => c.id),
          [capsule.manifest.id],
          q,
        );
      }
      assert.deepEqual((await reader('/v1/capsules?q=nothing-like-this')).json.capsules, []);
      assert.deepEqual((await reader('/v1/capsules?q=%25')).json.capsules, [], 'a % is a character, not a wildcard');
      const audit = await admin('/v1/audit?action=capsule.push');
      assert.equal(audit.json.entries[0].target, `${capsule.manifest.id}@1`);
      assert.equal(audit.json.entries[0].keyName, 'writer key');
    });

    it('reports team usage and cost from pushed ledgers', async () => {
      const capsule = await makeCapsule(
        { 'a.txt': 'usage\n' },
        {
          name: 'with ledger',
          models: [
            { provider: 'openai', model: 'gpt-4.1-mini', tier: 'T1', calls: 3, inputTokens: 1000, outputTokens: 200, costUsd: 0.25 },
            { provider: 'anthropic', model: 'claude-sonnet', tier: 'T2', calls: 1, inputTokens: 500, outputTokens: 100, costUsd: 0.5 },
          ],
        },
      );
      await pushWith(capsule, backend.url, keys.writer);
      const byProvider = (await api(backend.url, keys.reader)('/v1/usage?by=provider')).json;
      const openai = byProvider.rows.find((r: { key: string }) => r.key === 'openai');
      assert.deepEqual(openai, { key: 'openai', calls: 3, inputTokens: 1000, outputTokens: 200, costUsd: 0.25 });
      assert.ok(byProvider.total.costUsd >= 0.75);
      const byTier = (await api(backend.url, keys.reader)('/v1/usage?by=tier')).json;
      assert.ok(byTier.rows.some((r: { key: string }) => r.key === 'T2'));
      assert.equal((await api(backend.url, keys.reader)('/v1/usage?by=colour')).status, 400);
    });

    it('answers malformed input with a 400 that says what is wrong', async () => {
      const writer = api(backend.url, keys.writer);
      const cases: Array<[string, Parameters<typeof writer>[1], RegExp]> = [
        ['/v1/blobs/missing', { method: 'POST', body: '{not json', type: 'application/json' }, /JSON/],
        ['/v1/blobs/missing', { method: 'POST', json: { sha256s: ['xyz'] } }, /sha256s\/0 must match pattern/],
        ['/v1/blobs/missing', { method: 'POST', json: { sha256s: [], extra: 1 } }, /additional properties/],
        // An empty blob (its header alone), then 4 bytes of a header that never ends.
        [
          '/v1/blobs',
          { method: 'POST', body: Uint8Array.from([...Buffer.from(emptySha256, 'hex'), 0, 0, 0, 0, 1, 2, 3, 4]) },
          /ends inside a frame header at byte 36/,
        ],
        ['/v1/blobs', { method: 'POST', body: new Uint8Array(36), type: 'application/octet-stream' }, /does not match its content/],
        ['/v1/blobs', { method: 'POST', body: Uint8Array.from([...new Uint8Array(32), 0, 0, 1, 0]) }, /claims 256 bytes/],
        ['/v1/capsules/abc/versions/1', { method: 'PUT', json: { schemaVersion: 1 } }, /manifest is not valid/],
        ['/v1/capsules/abc/versions/0', { method: 'PUT', json: {} }, /params\/version/],
        ['/v1/capsules/ABC/versions/1', { method: 'PUT', json: {} }, /params\/id/],
        ['/v1/capsules?limit=100000', {}, /querystring\/limit/],
        ['/v1/capsules?q=%00', {}, /cannot store|NUL/],
        ['/v1/usage?from=yesterday', {}, /querystring\/from/],
      ];
      for (const [path, init, pattern] of cases) {
        const answer = await writer(path, init);
        assert.equal(answer.status, 400, `${path}: ${answer.status} ${answer.text}`);
        assert.match(answer.json.error, pattern, path);
      }
      const capsule = await makeCapsule({ 'x.txt': 'never uploaded\n' }, { name: 'no blobs' });
      const manifestFirst = await writer(`/v1/capsules/${capsule.manifest.id}/versions/1`, { method: 'PUT', json: capsule.manifest });
      assert.equal(manifestFirst.status, 409);
      assert.match(manifestFirst.json.error, /upload them before the manifest/);
      const tampered = { ...capsule.manifest, files: [{ ...capsule.manifest.files[0], path: '../escape.txt' }] };
      assert.equal((await writer(`/v1/capsules/${capsule.manifest.id}/versions/1`, { method: 'PUT', json: tampered })).status, 400);
      // A manifest whose digest does not match its files would never pull: refused at the push.
      const misdigested = await writer(`/v1/capsules/${capsule.manifest.id}/versions/1`, {
        method: 'PUT',
        json: { ...capsule.manifest, digest: 'f'.repeat(64) },
      });
      assert.equal(misdigested.status, 400);
      assert.match(misdigested.json.error, /digest does not match/);
    });

    it('never answers fuzzed requests with a 500', async () => {
      const random = seeded(20261126);
      const routes = [
        '/v1/capsules',
        '/v1/capsules/x-1',
        '/v1/capsules/x-1/versions/1',
        '/v1/blobs/missing',
        '/v1/blobs',
        '/v1/blobs/fetch',
        `/v1/blobs/${'a'.repeat(64)}`,
        '/v1/keys',
        '/v1/keys/nope',
        '/v1/usage',
        '/v1/audit',
        '/v1/whoami',
        '/v1/nothing',
      ];
      const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
      const types = ['application/json', 'application/octet-stream', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded'];
      for (let i = 0; i < 400; i++) {
        const path = routes[Math.floor(random() * routes.length)] + (random() < 0.3 ? `?${randomQuery(random)}` : '');
        const method = methods[Math.floor(random() * methods.length)];
        const body =
          method === 'GET' || method === 'DELETE'
            ? undefined
            : random() < 0.5
              ? JSON.stringify(randomJson(random, 0))
              : new Blob([new Uint8Array(randomBytes(random))]);
        const headers: Record<string, string> = { authorization: `Bearer ${random() < 0.9 ? adminKey : 'x'}` };
        if (body !== undefined) headers['content-type'] = types[Math.floor(random() * types.length)];
        const response = await fetch(`${backend.url}${path}`, { method, headers, body });
        const text = await response.text();
        assert.ok(response.status < 500, `${method} ${path} (${headers['content-type']}) answered ${response.status}: ${text}`);
        if (response.status >= 400) assert.equal(typeof JSON.parse(text).error, 'string', text);
      }
    });

    it('serves Prometheus metrics and an OpenAPI document of every route', async () => {
      const metrics = await api(backend.url, undefined)('/metrics');
      assert.match(metrics.text, /qlp_http_requests_total\{method="GET",route="\/v1\/capsules",status="200"\} \d+/);
      assert.match(metrics.text, /qlp_capsules \d+/);
      assert.match(metrics.text, /qlp_http_request_duration_seconds_bucket\{.*le="0.05"\}/);
      const doc = (await api(backend.url, undefined)('/openapi.json')).json;
      assert.equal(doc.openapi, '3.1.0');
      for (const path of ['/v1/capsules', '/v1/capsules/{id}/versions/{version}', '/v1/blobs/missing', '/v1/keys/{id}', '/v1/usage', '/v1/audit', '/healthz'])
        assert.ok(doc.paths[path], path);
      assert.equal(doc.paths['/v1/keys'].post['x-qlp-role'], 'admin');
    });
  });
}

for (const database of databasesUnderTest()) {
  describe(`rate limits over ${database.name}`, { skip: database.skip }, () => {
    it('answers 429 with Retry-After past the per-key limit, and other keys go on', async () => {
      const backend = await startBackendProcess({ ...(await database.options()), rateLimit: 5 });
      try {
        const admin = api(backend.url, adminKey);
        const other = (await admin('/v1/keys', { method: 'POST', json: { name: 'other', role: 'reader' } })).json.key;
        const statuses: number[] = [];
        let limited;
        for (let i = 0; i < 6; i++) {
          const answer = await admin('/v1/whoami');
          statuses.push(answer.status);
          if (answer.status === 429) limited = answer;
        }
        assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429], 'the key creation used one of the five');
        assert.ok(Number(limited!.headers.get('retry-after')) >= 1);
        assert.match(limited!.json.error, /too many requests/);
        assert.equal((await api(backend.url, other)('/v1/whoami')).status, 200);
        assert.equal((await api(backend.url, undefined)('/healthz')).status, 200, 'health is never limited');
      } finally {
        await backend.stop();
        database.dispose();
      }
    });
  });
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomString(random: () => number): string {
  const pool = ['', 'a', '\u0000', 'ü', '😀', '../x', '%', "'; DROP TABLE blobs; --", 'x'.repeat(300), 'f'.repeat(64), '1e309', '-1'];
  return pool[Math.floor(random() * pool.length)];
}

function randomJson(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 4 ? 5 : 8));
  if (pick === 0) return null;
  if (pick === 1) return random() < 0.5;
  if (pick === 2) return [0, -1, 1e308, 2 ** 53 + 1, 0.5, -0][Math.floor(random() * 6)];
  if (pick === 3 || pick === 4) return randomString(random);
  if (pick === 5) return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1));
  const keys = ['sha256s', 'name', 'role', 'schemaVersion', 'id', 'version', 'files', 'digest', 'q', '__proto__', 'constructor'];
  return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [keys[Math.floor(random() * keys.length)], randomJson(random, depth + 1)]));
}

function randomBytes(random: () => number): Uint8Array {
  return Uint8Array.from({ length: Math.floor(random() * 120) }, () => Math.floor(random() * 256));
}

function randomQuery(random: () => number): string {
  const keys = ['q', 'limit', 'offset', 'by', 'from', 'to', 'since', 'action', 'x'];
  return Array.from(
    { length: 1 + Math.floor(random() * 3) },
    () => `${keys[Math.floor(random() * keys.length)]}=${encodeURIComponent(randomString(random))}`,
  ).join('&');
}
