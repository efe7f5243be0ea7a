// Pushing and pulling through a backend process over each database, with the real sync engine:
// byte-exact round trips across a restart, only missing blobs travel, a backend killed in the
// middle of a push shows no half capsule and the retry completes, concurrent pushes of one
// capsule, pushes queued while offline then retried, and files that look like they hold secrets
// left out of a push (their blobs never sent) unless the user included them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../language-server/src/capsule/blobStore';
import { CapsuleService } from '../../language-server/src/capsule/service';
import { BackendClient } from '../../language-server/src/sync/client';
import { pullVersion } from '../../language-server/src/sync/pull';
import { SyncService } from '../../language-server/src/sync/service';
import { SyncHost } from '../../language-server/src/sync/syncHost';
import { adminKey, api, databasesUnderTest, startBackendProcess, type BackendProcess, type BackendOptions } from '../support/backendProcess';
import { readTree, scratch } from '../support/capsuleFixtures';
import { secretCorpus } from '../support/secretCorpus';
import { makeCapsule, pushKilledMidway, pushWith, type LocalCapsule } from './capsules';
import { CapsuleStore } from '../../language-server/src/capsule/capsuleStore';
import { join } from 'node:path';

/** A project with a .env (DB_PASSWORD=…), a config.py (SECRET_KEY = "<32 hex>") and one clean file. */
function projectWithSecrets(): Record<string, string> {
  const corpus = secretCorpus();
  return { '.env': corpus['.env'].text, 'config.py': corpus['backend/settings.py'].text, 'app.py': 'print("hello")\n' };
}

const blobOf = (text: string) => sha256Hex(Buffer.from(text));

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

    it("carries a generated version's transcript both ways, so a pulled capsule can be replayed", async () => {
      const transcript = Buffer.from(JSON.stringify({ transcriptVersion: 1, turns: [{ key: 'plan', text: randomBytes(8).toString('hex') }] }));
      const capsule = await makeCapsule({ 'README.md': '# generated\n' }, { name: 'generated', models: [], transcript });
      assert.equal((await pushWith(capsule, backend.url, adminKey)).blobsSent, 2);
      const store = new CapsuleStore(join(scratch('qlp-pull-store-'), 'capsules'));
      const pulled = await pullVersion(
        store,
        new BackendClient({ url: backend.url, key: adminKey }),
        { id: capsule.manifest.id },
        join(scratch('qlp-pull-'), 'copy'),
      );
      const manifest = await store.manifest(pulled.id, pulled.version);
      assert.deepEqual(await store.blobs.read(manifest.transcript!.sha256, 'the transcript'), transcript);
    });

    it('pulls byte-exact what was pushed, after a restart, and a second push sends no blobs', async () => {
      const files: Record<string, string | Buffer> = {
        'bin/run.sh': '#!/bin/sh\necho hi\n',
        'empty.txt': '',
        'data/blob.bin': randomBytes(300_000),
        'docs/ünï code.md': '# Ünïcode\n',
      };
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
      const pulled = await pullVersion(
        new CapsuleStore(join(scratch('qlp-pull-store-'), 'capsules')),
        new BackendClient({ url: backend.url, key: adminKey }),
        { id: capsule.manifest.id },
        out,
      );
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
      await pushKilledMidway(capsule, backend);
      backend = await startBackendProcess(options);
      const admin = api(backend.url, adminKey);
      assert.equal((await admin(`/v1/capsules/${capsule.manifest.id}`)).status, 404);
      assert.equal((await admin(`/v1/capsules/${capsule.manifest.id}/versions/1`)).status, 404);
      assert.ok(!(await admin('/v1/capsules?q=interrupted')).json.capsules.length);

      const retry = await pushWith(capsule, backend.url, adminKey);
      assert.equal(retry.created, true);
      assert.ok(retry.blobsSent < 12, `blobs stored before the crash are not sent again (sent ${retry.blobsSent})`);
      const out = join(scratch('qlp-pull-'), 'copy');
      await pullVersion(
        new CapsuleStore(join(scratch('qlp-pull-store-'), 'capsules')),
        new BackendClient({ url: backend.url, key: adminKey }),
        { id: capsule.manifest.id, version: 1 },
        out,
      );
      const tree = readTree(out);
      for (const [path, content] of Object.entries(files)) assert.equal(tree[path].data, content.toString('base64'), path);
    });

    it('takes concurrent pushes of the same capsule once', async () => {
      const capsule = await makeCapsule({ 'a.txt': 'same\n', 'b.txt': randomBytes(2000) }, { name: 'raced' });
      const results = await Promise.all(Array.from({ length: 6 }, () => pushWith(capsule, backend.url, adminKey)));
      assert.equal(results.filter((r) => r.created).length, 1, JSON.stringify(results));
      const admin = api(backend.url, adminKey);
      assert.equal((await admin(`/v1/capsules/${capsule.manifest.id}`)).json.versions.length, 1);
      const audit = (await admin('/v1/audit?action=capsule.push&limit=1000')).json.entries.filter(
        (e: { target: string }) => e.target === `${capsule.manifest.id}@1`,
      );
      assert.equal(audit.length, 1);
      // A different version 1 under the same id is refused, not merged.
      const other = await makeCapsule({ 'c.txt': 'different\n' }, { name: 'raced' });
      const clash = { ...other.manifest, id: capsule.manifest.id };
      await pushWith({ store: other.store, manifest: clash }, backend.url, adminKey).then(
        () => assert.fail('a conflicting version was accepted'),
        (err: Error) => assert.match(err.message, /already has a different version 1/),
      );
    });

    describe('files that look like they hold secrets', () => {
      const files = projectWithSecrets();
      const secretBlobs = [blobOf(files['.env']), blobOf(files['config.py'])].sort();
      const syncOf = (capsule: LocalCapsule, url = backend.url) =>
        new SyncService(new CapsuleService(capsule.store, scratch()), async () => ({ url, key: adminKey }));
      /** Which of the secret files' blobs the backend does not hold. */
      const secretBlobsMissing = async () =>
        ((await api(backend.url, adminKey)('/v1/blobs/missing', { method: 'POST', json: { sha256s: secretBlobs } })).json.missing as string[]).sort();
      const pull = async (id: string) => {
        const store = new CapsuleStore(join(scratch('qlp-pull-store-'), 'capsules'));
        const out = join(scratch('qlp-pull-'), 'copy');
        const pulled = await pullVersion(store, new BackendClient({ url: backend.url, key: adminKey }), { id }, out);
        return { tree: readTree(out), manifest: await store.manifest(pulled.id, pulled.version) };
      };

      it('are left out by default: the backend gets neither their blobs nor their names in the file list, and a pull lacks them', async () => {
        const capsule = await makeCapsule(files, { name: 'secrets left out' });
        const pushed = await syncOf(capsule).push({ id: capsule.manifest.id });
        assert.equal(pushed.status, 'pushed');
        assert.deepEqual(
          pushed.leftOut.map((l) => [l.path, l.reason, l.lines]),
          [
            ['.env', 'secret', [2]],
            ['config.py', 'secret', [3]],
          ],
        );
        assert.equal(pushed.blobsSent, 1);
        assert.deepEqual(await secretBlobsMissing(), secretBlobs);

        const remote = (await api(backend.url, adminKey)(`/v1/capsules/${capsule.manifest.id}/versions/1`)).json;
        assert.deepEqual(
          remote.files.map((f: { path: string }) => f.path),
          ['app.py'],
        );
        assert.deepEqual(remote.omitted, [
          { path: '.env', reason: 'secret' },
          { path: 'config.py', reason: 'secret' },
        ]);
        assert.notEqual(remote.digest, capsule.manifest.digest, 'the digest covers only the files sent');
        assert.ok(!JSON.stringify(remote).includes(files['.env'].split('=')[1].trim()), 'no value travels in the manifest');

        const pulled = await pull(capsule.manifest.id);
        assert.deepEqual(Object.keys(pulled.tree), ['app.py']);
        assert.deepEqual(pulled.manifest.omitted, remote.omitted);
        assert.equal(pulled.manifest.digest, remote.digest);

        // The same choice again is the same version; the other choice is a different one under the same number.
        const again = await syncOf(capsule).push({ id: capsule.manifest.id });
        assert.deepEqual([again.status, again.blobsSent], ['unchanged', 0]);
        await assert.rejects(syncOf(capsule).push({ id: capsule.manifest.id }, {}, { includeSecrets: true }), /already has a different version 1/);
        assert.deepEqual(await secretBlobsMissing(), secretBlobs);
      });

      it('are sent with includeSecrets, and a pull gets every file byte for byte', async () => {
        const capsule = await makeCapsule(files, { name: 'secrets included' });
        const pushed = await syncOf(capsule).push({ id: capsule.manifest.id }, {}, { includeSecrets: true });
        assert.deepEqual([pushed.status, pushed.leftOut], ['pushed', []]);
        assert.deepEqual(await secretBlobsMissing(), []);
        const pulled = await pull(capsule.manifest.id);
        assert.equal(pulled.manifest.omitted, undefined);
        assert.deepEqual(Object.fromEntries(Object.entries(pulled.tree).map(([path, f]) => [path, Buffer.from(f.data, 'base64').toString()])), files);
      });

      it('are left out by the server-side push request unless it says the user included them', async () => {
        const capsule = await makeCapsule(projectWithSecrets(), { name: 'request without a check' });
        const host = new SyncHost({
          capsules: async () => new CapsuleService(capsule.store, scratch()),
          env: { QLP_BACKEND_URL: backend.url, QLP_API_KEY: adminKey },
          editorSettings: async () => undefined,
          editorKey: async () => undefined,
        });
        const pushed = await host.push({ id: capsule.manifest.id }, {});
        host.dispose();
        assert.deepEqual(
          pushed.leftOut.map((l) => l.path),
          ['.env', 'config.py'],
        );
        const remote = (await api(backend.url, adminKey)(`/v1/capsules/${capsule.manifest.id}/versions/1`)).json;
        assert.deepEqual(
          remote.files.map((f: { path: string }) => f.path),
          ['app.py'],
        );
      });

      it("keep the user's choice while the push waits in the queue", async () => {
        const offline = 'http://127.0.0.1:9';
        const choices = [false, true];
        const queued = await Promise.all(
          choices.map(async (includeSecrets) => {
            const capsule = await makeCapsule(projectWithSecrets(), { name: `queued ${includeSecrets}` });
            const sync = syncOf(capsule, offline);
            const result = await sync.push({ id: capsule.manifest.id }, {}, { queue: true, includeSecrets });
            return { capsule, sync, result };
          }),
        );
        for (const [i, { sync, result }] of queued.entries()) {
          assert.equal(result.status, 'queued');
          assert.equal(result.leftOut.length, choices[i] ? 0 : 2);
          assert.deepEqual(
            (await sync.outbox.entries()).map((e) => e.includeSecrets),
            [choices[i]],
          );
        }
        for (const { capsule, sync } of queued) {
          // The queue belongs to the server it was made for: point the entry at the live backend, keeping the choice.
          const [entry] = await sync.outbox.entries();
          await sync.outbox.settle(entry, null);
          await sync.outbox.add(new BackendClient({ url: backend.url, key: adminKey }).base, entry.id, entry.version, entry.lastError, entry.includeSecrets);
          const live = new SyncService(new CapsuleService(capsule.store, scratch()), async () => ({ url: backend.url, key: adminKey }));
          assert.deepEqual(await live.retryQueued(), { pushed: 1, left: 0 });
        }
        const [left, sent] = await Promise.all(
          queued.map(async ({ capsule }) => (await api(backend.url, adminKey)(`/v1/capsules/${capsule.manifest.id}/versions/1`)).json),
        );
        assert.deepEqual(
          left.files.map((f: { path: string }) => f.path),
          ['app.py'],
        );
        assert.deepEqual(sent.files.map((f: { path: string }) => f.path).sort(), ['.env', 'app.py', 'config.py']);
        assert.equal(sent.omitted, undefined);
      });
    });

    it('queues a push while the backend is out of reach and sends it on retry', async () => {
      const capsule = await makeCapsule({ 'queued.txt': 'waiting\n' }, { name: 'queued' });
      const service = new CapsuleService(capsule.store, scratch());
      let url = 'http://127.0.0.1:9';
      const sync = new SyncService(service, async () => ({ url, key: adminKey }));
      const queued = await sync.push({ id: capsule.manifest.id }, {}, { queue: true });
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
