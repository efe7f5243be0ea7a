// The API's edges, strict: the last admin key cannot be revoked and QLP_ADMIN_KEY is an admin on
// every start; bodies within their route's limit (a batch of several blobs up to 64 MB, one blob
// alone up to 100 MB), cut off there, and held in bounded memory; no coerced types; integers in
// URLs written one way; 415 for a wrong content type; one error shape for every refusal, fastify's
// and Node's own included; requests without a valid key limited by address before any lookup.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { adminKey, api, databasesUnderTest, startBackendProcess, type BackendOptions, type BackendProcess } from '../support/backendProcess';

const MiB = 1024 * 1024;
/** Peak growth allowed for 6 parallel 60 MB uploads: PostgreSQL's driver holds a blob as hex text in a message too. */
const memoryBound = { embedded: 300 * MiB, postgres: 400 * MiB };

/** One frame header: the blob's sha256 and its length (those of `data`, unless given). */
function frameHeader(data: Buffer, sha256 = createHash('sha256').update(data).digest(), length = data.byteLength): Buffer {
  const header = Buffer.alloc(36);
  sha256.copy(header);
  header.writeUInt32BE(length, 32);
  return header;
}

/**
 * POSTs `parts` (written one after the other, never joined) as a blob batch with node:http:
 * with a Content-Length, or chunked when `chunked`. Resolves with the answer, even when the
 * server answered before the body was all sent.
 */
async function upload(base: string, key: string, parts: Buffer[], chunked = false): Promise<{ status: number; json: { error?: string; stored?: number } }> {
  // A refusal sent while the body is still being written may reach this side as EPIPE before the
  // answer is read (the server closed its end): the same request is sent again, at most twice.
  for (let attempt = 1; ; attempt++) {
    try {
      return await uploadOnce(base, key, parts, chunked);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt >= 3 || (code !== 'EPIPE' && code !== 'ECONNRESET')) throw err;
    }
  }
}

function uploadOnce(base: string, key: string, parts: Buffer[], chunked: boolean): Promise<{ status: number; json: { error?: string; stored?: number } }> {
  const url = new URL('/v1/blobs', base);
  const length = parts.reduce((sum, p) => sum + p.byteLength, 0);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream', ...(chunked ? {} : { 'content-length': String(length) }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    // The server may close the connection after an early refusal: the answer still arrives.
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    (async () => {
      for (const part of parts) if (!req.write(part)) await new Promise((r) => req.once('drain', r));
      req.end();
    })().catch(() => undefined);
  });
}

/** Resident memory of a process, in bytes (Linux). */
function residentBytes(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
}

/** The most resident memory `pid` had while `work` ran, sampled every 10 ms. */
async function peakDuring<T>(pid: number, work: Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = residentBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 10);
  try {
    return { result: await work, peak };
  } finally {
    clearInterval(timer);
  }
}

async function rawHttp(base: string, text: string): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(text));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

for (const database of databasesUnderTest()) {
  describe(`strict API edges over ${database.name}`, { skip: database.skip }, () => {
    let options: BackendOptions;
    let backend: BackendProcess;
    let admin: ReturnType<typeof api>;
    let writerKey = '';

    before(async () => {
      options = await database.options();
      backend = await startBackendProcess(options);
      admin = api(backend.url, adminKey);
      writerKey = (await admin('/v1/keys', { method: 'POST', json: { name: 'writer', role: 'writer' } })).json.key;
    });
    after(async () => {
      await backend?.stop();
      database.dispose();
    });

    it('never revokes the last admin key, and QLP_ADMIN_KEY is an admin again on the next start', async () => {
      const self = (await admin('/v1/whoami')).json;
      const refused = await admin(`/v1/keys/${self.id}`, { method: 'DELETE' });
      assert.deepEqual([refused.status, refused.json.error], [409, 'this is the last admin key; make another admin key before revoking it']);
      assert.equal((await admin('/v1/whoami')).status, 200);

      const second = (await admin('/v1/keys', { method: 'POST', json: { name: 'second admin', role: 'admin' } })).json;
      assert.equal((await admin(`/v1/keys/${self.id}`, { method: 'DELETE' })).status, 200, 'with another admin, the key may go');
      assert.equal((await admin('/v1/whoami')).status, 401);
      const other = api(backend.url, second.key);
      assert.equal((await other(`/v1/keys/${second.id}`, { method: 'DELETE' })).status, 409, 'now the second is the last');

      await backend.stop();
      backend = await startBackendProcess(options);
      admin = api(backend.url, adminKey);
      assert.match(backend.log(), /QLP_ADMIN_KEY had been revoked or demoted; it is an admin key again\./);
      assert.deepEqual((await admin('/v1/whoami')).json, { ...self });
      assert.equal((await admin('/v1/keys')).status, 200);
    });

    it('takes a batch of several blobs up to 64 MB and one blob alone up to 100 MB, and cuts off past that', async () => {
      const forty = [randomBytes(40 * MiB), randomBytes(40 * MiB)];
      const batch = await upload(
        backend.url,
        writerKey,
        forty.flatMap((b) => [frameHeader(b), b]),
      );
      assert.deepEqual([batch.status, batch.json.error], [413, 'a blob batch may carry at most 64.0 MB (one blob alone up to 100.0 MB)']);
      // Without a Content-Length, reading stops at the limit just the same.
      const streamed = await upload(
        backend.url,
        writerKey,
        forty.flatMap((b) => [frameHeader(b), b]),
        true,
      );
      assert.equal(streamed.status, 413);
      const alone = randomBytes(65 * MiB);
      const single = await upload(backend.url, writerKey, [frameHeader(alone), alone]);
      assert.deepEqual([single.status, single.json.stored], [200, 1]);
      const small = Buffer.from('after a big one');
      const trailing = await upload(backend.url, writerKey, [frameHeader(alone), alone, frameHeader(small), small]);
      assert.deepEqual([trailing.status, trailing.json.error], [413, 'a blob over 64.0 MB must travel alone in its request']);
      const huge = await upload(backend.url, writerKey, [frameHeader(Buffer.alloc(0)), Buffer.alloc(101 * MiB)]);
      assert.equal(huge.status, 413, 'a Content-Length past every limit is refused before anything is read');
      // Asking for more than one batch's worth back is refused as well; one big blob alone is fine.
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      const smallSha = sha(small);
      assert.equal((await upload(backend.url, writerKey, [frameHeader(small), small])).status, 200);
      const both = await api(backend.url, writerKey)('/v1/blobs/fetch', { method: 'POST', json: { sha256s: [sha(alone), smallSha] } });
      assert.equal(both.status, 413);
      assert.match(both.json.error, /ask for at most 64\.0 MB at a time/);
      assert.equal((await api(backend.url, writerKey)(`/v1/blobs/${sha(alone)}`)).text.length > 0, true);
      // Its answer needs (with PostgreSQL) the whole memory budget, while its body held a share of it.
      const fetched = await fetch(`${backend.url}/v1/blobs/fetch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sha256s: [sha(alone)] }),
      });
      assert.deepEqual([fetched.status, (await fetched.arrayBuffer()).byteLength], [200, 36 + alone.byteLength]);
    });

    it('holds parallel uploads in bounded memory: 6 × 60 MB take turns instead of 720 MB at once', async () => {
      // A restarted process, whose memory is this test's (not the big uploads' before, nor a first start's).
      await backend.stop();
      backend = await startBackendProcess(options);
      admin = api(backend.url, adminKey);
      const pid = backend.child.pid!;
      const before = residentBytes(pid);
      const shared = randomBytes(60 * MiB);
      const { result: answers, peak } = await peakDuring(
        pid,
        Promise.all(
          Array.from({ length: 6 }, (_, i) => {
            const tail = Buffer.from([i]);
            const sha256 = createHash('sha256').update(shared).update(tail).digest();
            return upload(backend.url, writerKey, [frameHeader(shared, sha256, shared.byteLength + 1), shared, tail]);
          }),
        ),
      );
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200, 200, 200, 200],
        JSON.stringify(answers.map((a) => a.json)),
      );
      const grew = peak - before;
      console.log(`# ${database.name}: resident memory ${(before / MiB).toFixed(0)} MB before 6 parallel 60 MB uploads, peak +${(grew / MiB).toFixed(0)} MB`);
      assert.ok(grew < memoryBound[database.name.startsWith('embedded') ? 'embedded' : 'postgres'], `the backend grew by ${(grew / MiB).toFixed(0)} MB`);
    });

    it('takes body values as they are: {"name": 5} is not the name "5"', async () => {
      const numbered = await admin('/v1/keys', { method: 'POST', json: { name: 5, role: 'reader' } });
      assert.deepEqual([numbered.status, numbered.json.error], [400, 'body/name must be string']);
      const listed = await admin('/v1/blobs/missing', { method: 'POST', json: { sha256s: 'a'.repeat(64) } });
      assert.deepEqual([listed.status, listed.json.error], [400, 'body/sha256s must be array']);
      assert.ok(!(await admin('/v1/keys')).json.keys.some((k: { name: string }) => k.name === '5'));
    });

    it('reads integers in the URL only as plain digits: versions/1, never versions/0x1 or versions/%20%31', async () => {
      for (const written of ['0x1', '%20%31', '01', '1e0', '+1', '1.0', '%31%20']) {
        const answer = await admin(`/v1/capsules/some-capsule/versions/${written}`);
        assert.deepEqual([answer.status, answer.json.error], [400, 'params/version must be a whole number written in decimal digits, like 1'], written);
      }
      const plain = await admin('/v1/capsules/some-capsule/versions/1');
      assert.deepEqual([plain.status, plain.json.error], [404, "capsule 'some-capsule' has no version 1 on this server"]);
      assert.equal((await admin('/v1/capsules?limit=0x10')).status, 400);
      assert.equal((await admin('/v1/capsules?limit=10&offset=%200')).status, 400);
      assert.equal((await admin('/v1/capsules?limit=10&offset=0')).status, 200);
      assert.equal((await admin('/v1/audit?limit=1')).json.entries.length, 1);
    });

    it('answers a wrong content type with 415', async () => {
      const text = await admin('/v1/keys', { method: 'POST', body: '{"name":"t","role":"reader"}', type: 'text/plain' });
      assert.deepEqual([text.status, text.json.error], [415, 'send the body of POST /v1/keys as application/json, not text/plain']);
      const binaryToJson = await admin('/v1/blobs/missing', { method: 'POST', body: new Uint8Array(8) });
      assert.equal(binaryToJson.status, 415);
      const jsonToBinary = await api(backend.url, writerKey)('/v1/blobs', { method: 'POST', json: [] });
      assert.deepEqual(
        [jsonToBinary.status, jsonToBinary.json.error],
        [415, 'send the body of POST /v1/blobs as application/octet-stream, not application/json'],
      );
      const form = await admin('/v1/keys', { method: 'POST', body: 'name=t&role=reader', type: 'application/x-www-form-urlencoded' });
      assert.equal(form.status, 415);
    });

    it('answers every refusal as {"error": "…"}, fastify\'s and Node\'s own included', async () => {
      const cases: Array<[string, Awaited<ReturnType<typeof admin>>, number, RegExp]> = [
        ['a 101-character key id', await admin(`/v1/keys/${'k'.repeat(101)}`, { method: 'DELETE' }), 414, /longer than 100 characters/],
        ['a bad percent-encoding', await admin('/v1/keys/%E0%A4%A', { method: 'DELETE' }), 400, /malformed percent-encoding/],
        ['no such route', await admin('/v1/nothing-here'), 404, /^there is no GET \/v1\/nothing-here$/],
        [
          "a body over its route's limit",
          await admin('/v1/keys', { method: 'POST', json: { name: 'x'.repeat(20_000), role: 'reader' } }),
          413,
          /over the 16\.0 KB POST \/v1\/keys takes/,
        ],
        ['malformed JSON', await admin('/v1/keys', { method: 'POST', body: '{"name":', type: 'application/json' }), 400, /not valid JSON/],
        ['an empty JSON body', await admin('/v1/keys', { method: 'POST', body: '', type: 'application/json' }), 400, /body/],
        ['a body where none is taken', await admin(`/v1/keys/${'k'.repeat(10)}`, { method: 'DELETE', json: {} }), 415, /takes no body/],
      ];
      for (const [what, answer, status, pattern] of cases) {
        assert.equal(answer.status, status, `${what}: ${answer.text}`);
        assert.deepEqual(Object.keys(answer.json ?? {}), ['error'], `${what}: ${answer.text}`);
        assert.match(answer.json.error, pattern, what);
      }
      const garbage = await rawHttp(backend.url, 'NOT HTTP AT ALL\r\n\r\n');
      assert.match(garbage, /^HTTP\/1\.1 400 /);
      assert.deepEqual(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)), { error: 'the request is not valid HTTP' });
    });
  });
}

for (const database of databasesUnderTest()) {
  describe(`requests without a valid key over ${database.name}`, { skip: database.skip }, () => {
    it('are rate-limited by address before any key lookup', async () => {
      const backend = await startBackendProcess({ ...(await database.options()), rateLimit: 5 });
      try {
        const statuses: number[] = [];
        let limited;
        for (let i = 0; i < 20; i++) {
          const answer = await api(backend.url, `guess-${randomBytes(16).toString('hex')}`)('/v1/whoami');
          statuses.push(answer.status);
          if (answer.status === 429) limited = answer;
        }
        assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(15).fill(429)]);
        assert.ok(Number(limited!.headers.get('retry-after')) >= 1);
        assert.match(limited!.json.error, /^too many requests without a valid API key from this address \(at most 5 a minute\); retry in \d+ s$/);
        assert.equal((await api(backend.url, undefined)('/v1/capsules')).status, 429, 'no key at all counts the same');
        const metrics = (await api(backend.url, undefined)('/metrics')).text;
        assert.equal(/^qlp_key_lookups_total (\d+)$/m.exec(metrics)?.[1], '5', 'only five guesses reached the database');
        assert.equal((await api(backend.url, undefined)('/healthz')).status, 200, 'health is never limited');
      } finally {
        await backend.stop();
        database.dispose();
      }
    });
  });
}
