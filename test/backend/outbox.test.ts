// Queued pushes are never lost: the queue file that cannot be read is set aside (renamed with a
// timestamp, reported once) instead of overwritten, and a queued push leaves the queue only when
// pushed or refused for good by the backend with its reason (with a notice). Network failures,
// 5xx, 429, a bare 404 from something that is not the backend, a refused key and local read
// errors keep it queued. A real backend process, and a loopback server for the answers it never gives.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CapsuleService } from '../../language-server/src/capsule/service';
import { BackendClient } from '../../language-server/src/sync/client';
import { Outbox } from '../../language-server/src/sync/outbox';
import { SyncService } from '../../language-server/src/sync/service';
import { adminKey, startBackendProcess, type BackendProcess } from '../support/backendProcess';
import { scratch } from '../support/capsuleFixtures';
import { makeCapsule, pushWith } from './capsules';

/** A loopback HTTP server answering every request with `answer`'s status, headers and body. */
async function answering(answer: { status: number; body: string; headers?: Record<string, string> }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A sync service over a fresh capsule, with notices collected and the push queued for `url`. */
async function queuedPush(url: string, files: Record<string, string> = { 'queued.txt': 'waiting\n' }) {
  const capsule = await makeCapsule(files, { name: 'queued' });
  const notices: string[] = [];
  const sync = new SyncService(
    new CapsuleService(capsule.store, scratch()),
    async () => ({ url, key: adminKey }),
    (m) => notices.push(m),
  );
  await sync.outbox.add(new BackendClient({ url, key: adminKey }).base, capsule.manifest.id, capsule.manifest.version, 'offline');
  return { capsule, sync, notices };
}

describe('the queue of pushes', () => {
  it('sets an unreadable queue file aside, reports it once, and never overwrites it', async () => {
    for (const [what, damaged] of [
      ['not JSON', '{"entries": [{"server": "http://a", "id": "x-1", "ver'],
      ['entries of the wrong shape', JSON.stringify({ entries: [{ server: 'http://a', id: 'x-1', version: '1' }] })],
      ['a folder where the file was', undefined],
    ] as const) {
      const dir = scratch();
      const notices: string[] = [];
      const outbox = new Outbox(dir, (m) => notices.push(m));
      if (damaged === undefined) mkdirSync(outbox.path);
      else writeFileSync(outbox.path, damaged);
      assert.deepEqual(await outbox.entries(), [], what);
      await outbox.add('http://b', 'y-2', 1, 'offline');
      await outbox.add('http://b', 'z-3', 1, 'offline');
      const aside = readdirSync(dir).filter((n) => /^sync-outbox\.json\.unreadable-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/.test(n));
      assert.equal(aside.length, 1, `${what}: ${readdirSync(dir).join(', ')}`);
      if (damaged !== undefined) assert.equal(readFileSync(join(dir, aside[0]), 'utf8'), damaged, `${what}: the unreadable queue is kept as it was`);
      assert.deepEqual(
        (await outbox.entries()).map((e) => e.id),
        ['y-2', 'z-3'],
        what,
      );
      assert.equal(notices.length, 1, `${what}: ${notices.join(' | ')}`);
      assert.match(
        notices[0],
        new RegExp(
          `^The queue of pushes waiting for the team backend (is damaged|cannot be read).*; it was kept as ${join(dir, aside[0]).replace(/[.]/g, '\\.')} and a new queue started`,
        ),
      );
    }
  });

  describe('retried', () => {
    let backend: BackendProcess;
    before(async () => {
      backend = await startBackendProcess({ data: scratch('qlp-backend-') });
    });
    after(async () => {
      await backend?.stop();
    });

    for (const [what, answer] of [
      ['a 503', { status: 503, body: '{"error":"the database does not answer"}' }],
      ['a 500 without a body', { status: 500, body: '' }],
      ['a 429 to wait out later', { status: 429, body: '{"error":"too many requests"}', headers: { 'retry-after': '600' } }],
      ['a bare 404 from something that is not the backend', { status: 404, body: '<html>Not Found</html>', headers: { 'content-type': 'text/html' } }],
      ['a 401 (a new key fixes it)', { status: 401, body: '{"error":"the API key is not valid (unknown or revoked)"}' }],
    ] as const) {
      it(`stays queued after ${what}`, async () => {
        const fake = await answering(answer);
        try {
          const { sync, notices } = await queuedPush(fake.url);
          assert.deepEqual(await sync.retryQueued(), { pushed: 0, left: 1 });
          const [entry] = await sync.outbox.entries();
          assert.equal(entry.attempts, 1);
          assert.notEqual(entry.lastError, 'offline');
          assert.deepEqual(notices, []);
        } finally {
          fake.server.close();
        }
      });
    }

    it('stays queued when the local store cannot read the version, and the next push still goes', async () => {
      const broken = await queuedPush(backend.url, { 'lost.txt': 'its stored copy goes missing\n' });
      rmSync(broken.capsule.store.blobs.path(broken.capsule.manifest.files[0].sha256));
      const fine = await makeCapsule({ 'fine.txt': 'pushed on the same round\n' }, { name: 'fine', store: broken.capsule.store });
      await broken.sync.outbox.add(new BackendClient({ url: backend.url, key: adminKey }).base, fine.manifest.id, fine.manifest.version, 'offline');
      assert.deepEqual(await broken.sync.retryQueued(), { pushed: 1, left: 1 });
      const [entry] = await broken.sync.outbox.entries();
      assert.equal(entry.id, broken.capsule.manifest.id);
      assert.match(entry.lastError, /lost\.txt in .+ is missing from the capsule store/);
    });

    it('leaves the queue only when the backend refuses for good, with a notice giving its reason', async () => {
      const { capsule, sync, notices } = await queuedPush(backend.url);
      // The backend already holds a different version 1 under this id: a 409 no retry can change.
      const other = await makeCapsule({ 'other.txt': 'different\n' }, { name: 'other' });
      await pushWith({ store: other.store, manifest: { ...other.manifest, id: capsule.manifest.id } }, backend.url, adminKey);
      assert.deepEqual(await sync.retryQueued(), { pushed: 0, left: 0 });
      assert.deepEqual(notices, [
        `The team backend refused the queued push of ${capsule.manifest.id}@1 (HTTP 409: capsule '${capsule.manifest.id}' already has a different version 1 on this server; snapshot again to make a new version, then push that), so it left the queue.`,
      ]);
    });
  });
});
