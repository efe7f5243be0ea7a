// Pushing and pulling through a backend process over each database, with the real sync engine:
// byte-exact round trips across a restart, only missing blobs travel, a backend killed in the
// middle of a push shows no half capsule and the retry completes, concurrent pushes of one
// capsule, and pushes queued while offline then retried.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CapsuleService } from '../../language-server/src/capsule/service';
import { BackendClient } from '../../language-server/src/sync/client';
import { BackendUnavailableError } from '../../language-server/src/sync/errors';
import { pullVersion } from '../../language-server/src/sync/pull';
import { SyncService } from '../../language-server/src/sync/service';
import { adminKey, api, databasesUnderTest, startBackendProcess, type BackendProcess, type BackendOptions } from '../support/backendProcess';
import { readTree, scratch } from '../support/capsuleFixtures';
import { makeCapsule, pushWith } from './capsules';
import { CapsuleStore } from '../../language-server/src/capsule/capsuleStore';
import { join } from 'node:path';

for (const database of databasesUnderTest()) {
  describe(`capsule sync over ${database.name}`, { skip: database.skip }, () => {
    let options: BackendOptions;
    let backend: BackendProcess;
    const restart = async () => {
      await backend.stop();
      backend = await startBackendProcess(options);
    };

    before(async () => {
      options = await database.options();
      backend = await startBackendProcess(options);
    });
    after(async () => {
      await backend?.stop();
      database.dispose();
    });

    it('carries a generated version\'s transcript both ways, so a pulled capsule can be replayed', async () => {
      const transcript = Buffer.from(JSON.stringify({ transcriptVersion: 1, turns: [{ key: 'plan', text: randomBytes(8).toString('hex') }] }));
      const capsule = await makeCapsule({ 'README.md': '# generated\n' }, { name: 'generated', models: [], transcript });
      assert.equal((await pushWith(capsule, backend.url, adminKey)).blobsSent, 2);
      const store = new CapsuleStore(join(scratch('qlp-pull-store-'), 'capsules'));
      const pulled = await pullVersion(store, new BackendClient({ url: backend.url, key: adminKey }), { id: capsule.manifest.id }, join(scratch('qlp-pull-'), 'copy'));
      const manifest = await store.manifest(pulled.id, pulled.version);
      assert.deepEqual(await store.blobs.read(manifest.transcript!.sha256, 'the transcript'), transcript);
    });

    it('pulls byte-exact what was pushed, after a restart, and a second push sends no blobs', async () => {
      const files: Record<string, string | Buffer> = { 'bin/run.sh': '#!/bin/sh\necho hi\n', 'empty.txt': '', 'data/blob.bin': randomBytes(300_000), 'docs/ünï code.md': '# Ünïcode\n' };
      for (let i = 0; i < 40; i++) files[`src/module${i}.ts`] = `export const value${i} = ${i};\n`;
      const capsule = await makeCapsule(files, { name: 'round trip' });
      const first = await pushWith(capsule, backend.url, adminKey);
      assert.equal(first.created, true);
      assert.equal(first.blobsSent, Object.keys(files).length);
      const second = await pushWith(capsule, backend.url, adminKey);
      assert.deepEqual([second.created, second.blobsSent, second.bytesSent], [false, 0, 0]);

      // Another capsule sharing most files sends only the new one.
      const sibling = await makeCapsule({ ...files, 'NEW.md': 'only this is new\n' }, { name: 'sibling' });
      assert.equal((await pushWith(sibling, backend.url, adminKey)).blobsSent, 1);

      await restart();
      const out = join(scratch('qlp-pull-'), 'copy');
      const pulled = await pullVersion(new CapsuleStore(join(scratch('qlp-pull-store-'), 'capsules')), new BackendClient({ url: backend.url, key: adminKey }), { id: capsule.manifest.id }, out);
      assert.equal(pulled.files, Object.keys(files).length);
      const tree = readTree(out);
      assert.deepEqual(Object.keys(tree).sort(), Object.keys(files).sort());
      for (const [path, content] of Object.entries(files)) assert.equal(tree[path].data, Buffer.from(content).toString('base64'), path);
      assert.equal(tree['bin/run.sh'].mode, 0o755);
    });

    it('shows no half capsule when the backend is killed in the middle of a push, and the retry completes', async () => {
      const files: Record<string, Buffer> = {};
      for (let i = 0; i < 12; i++) files[`chunk${i}.bin`] = randomBytes(1024 * 1024);
      const capsule = await makeCapsule(files, { name: 'interrupted' });
      let killed = false;
      await assert.rejects(
        pushWith(capsule, backend.url, adminKey, (done) => {
          if (done > 0 && !killed) {
            killed = true;
            backend.child.kill('SIGKILL');
          }
        }),
        (err) => err instanceof BackendUnavailableError,
      );
      assert.ok(killed, 'the push was cut after its first batch');
      await backend.kill();
      backend = await startBackendProcess(options);
      const admin = api(backend.url, adminKey);
      assert.equal((await admin(`/v1/capsules/${capsule.manifest.id}`)).status, 404);
      assert.equal((await admin(`/v1/capsules/${capsule.manifest.id}/versions/1`)).status, 404);
      assert.ok(!(await admin('/v1/capsules?q=interrupted')).json.capsules.length);

      const retry = await pushWith(capsule, backend.url, adminKey);
      assert.equal(retry.created, true);
      assert.ok(retry.blobsSent < 12, `blobs stored before the crash are not sent again (sent ${retry.blobsSent})`);
      const out = join(scratch('qlp-pull-'), 'copy');
      await pullVersion(new CapsuleStore(join(scratch('qlp-pull-store-'), 'capsules')), new BackendClient({ url: backend.url, key: adminKey }), { id: capsule.manifest.id, version: 1 }, out);
      const tree = readTree(out);
      for (const [path, content] of Object.entries(files)) assert.equal(tree[path].data, content.toString('base64'), path);
    });

    it('takes concurrent pushes of the same capsule once', async () => {
      const capsule = await makeCapsule({ 'a.txt': 'same\n', 'b.txt': randomBytes(2000) }, { name: 'raced' });
      const results = await Promise.all(Array.from({ length: 6 }, () => pushWith(capsule, backend.url, adminKey)));
      assert.equal(results.filter((r) => r.created).length, 1, JSON.stringify(results));
      const admin = api(backend.url, adminKey);
      assert.equal((await admin(`/v1/capsules/${capsule.manifest.id}`)).json.versions.length, 1);
      const audit = (await admin('/v1/audit?action=capsule.push&limit=1000')).json.entries.filter((e: { target: string }) => e.target === `${capsule.manifest.id}@1`);
      assert.equal(audit.length, 1);
      // A different version 1 under the same id is refused, not merged.
      const other = await makeCapsule({ 'c.txt': 'different\n' }, { name: 'raced' });
      const clash = { ...other.manifest, id: capsule.manifest.id };
      await pushWith({ store: other.store, manifest: clash }, backend.url, adminKey).then(
        () => assert.fail('a conflicting version was accepted'),
        (err: Error) => assert.match(err.message, /already has a different version 1/),
      );
    });

    it('queues a push while the backend is out of reach and sends it on retry', async () => {
      const capsule = await makeCapsule({ 'queued.txt': 'waiting\n' }, { name: 'queued' });
      const service = new CapsuleService(capsule.store, scratch());
      let url = 'http://127.0.0.1:9';
      const sync = new SyncService(service, async () => ({ url, key: adminKey }));
      const queued = await sync.push({ id: capsule.manifest.id }, {}, true);
      assert.equal(queued.status, 'queued');
      assert.match(queued.reason ?? '', /cannot be reached/);
      assert.equal((await sync.outbox.entries()).length, 1);
      assert.ok(!JSON.stringify(await sync.outbox.entries()).includes(adminKey), 'the queue never holds the key');
      assert.deepEqual(await sync.retryQueued(), { pushed: 0, left: 1 });

      // The queue belongs to the server it was made for: point the entry at the live backend.
      const [entry] = await sync.outbox.entries();
      url = backend.url;
      await sync.outbox.settle(entry, null);
      await sync.outbox.add(new BackendClient({ url, key: adminKey }).base, entry.id, entry.version, entry.lastError);
      assert.deepEqual(await sync.retryQueued(), { pushed: 1, left: 0 });
      assert.equal((await api(backend.url, adminKey)(`/v1/capsules/${capsule.manifest.id}`)).status, 200);
    });
  });
}
