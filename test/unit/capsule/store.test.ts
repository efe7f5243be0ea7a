// The store: versions, deduplication, atomic writes, garbage collection, integrity on read.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CapsuleStore } from '../../../language-server/src/capsule/capsuleStore';
import { CapsuleInputError, CorruptStoreError } from '../../../language-server/src/capsule/errors';
import { defaultArchiveLimits } from '../../../language-server/src/capsule/limits';
import { CapsuleService } from '../../../language-server/src/capsule/service';
import { snapshotDetails } from '../../../language-server/src/capsule/snapshot';
import { readTree, sampleProject, scratch, writeTree } from '../../support/capsuleFixtures';

async function setup(limits = defaultArchiveLimits) {
  const ws = scratch();
  const folder = sampleProject(join(ws, 'project'));
  const data = join(scratch(), 'data');
  const service = await CapsuleService.open(data, ws, { limits });
  return { ws, folder, service, store: service.store };
}

function blobCount(store: CapsuleStore): number {
  const dir = store.blobs.dir;
  return readdirSync(dir)
    .flatMap((p) => readdirSync(join(dir, p)))
    .filter((n) => /^[0-9a-f]{64}$/.test(n)).length;
}

/** Overwrites the stored blob of `path` in a version with other bytes. */
async function damage(service: CapsuleService, id: string, path: string, bytes = 'tampered'): Promise<string> {
  const file = (await service.manifest({ id })).files.find((f) => f.path === path)!;
  const blob = service.store.blobs.path(file.sha256);
  chmodSync(blob, 0o644);
  writeFileSync(blob, bytes);
  return blob;
}

describe('capsule store', () => {
  it('records versions with parents, and adds none for an unchanged folder', async () => {
    const { folder, service } = await setup();
    const first = await service.create({ folder });
    assert.deepEqual([first.version, first.created], [1, true]);
    const again = await service.create({ folder });
    assert.deepEqual([again.id, again.version, again.created], [first.id, 1, false]);
    writeFileSync(join(folder, 'src/index.ts'), 'export const answer = 43;\n');
    const second = await service.create({ folder });
    assert.deepEqual([second.id, second.version, second.created], [first.id, 2, true]);
    const manifest = await service.manifest({ id: first.id });
    assert.equal(manifest.parentVersion, 1);
    assert.equal(manifest.kind, 'snapshot');
    assert.equal(manifest.validation, null);
    assert.deepEqual(manifest.models, []);
    const summary = await service.summary(first.id);
    assert.deepEqual(
      summary.versions.map((v) => v.version),
      [2, 1],
    );
    assert.equal(summary.versions[0].validation, null);
    assert.equal(summary.versions[0].costUsd, null);
  });

  it('stores each content once across versions (10 versions, one file changed each)', async () => {
    const { folder, service, store } = await setup();
    const files = Object.keys(readTree(folder)).length;
    await service.create({ folder });
    for (let i = 1; i < 10; i++) {
      writeFileSync(join(folder, 'src/index.ts'), `export const answer = ${42 + i};\n`);
      await service.create({ folder });
    }
    assert.equal((await service.summary((await service.list())[0].id)).versions.length, 10);
    assert.equal(blobCount(store), files + 9);
  });

  it('gives two writers racing for the next version distinct numbers', async () => {
    const { folder, service, store } = await setup();
    const { id } = await service.create({ folder });
    const record = await store.record(id);
    const draft = { ...(await service.manifest({ id })), ...snapshotDetails() };
    const { id: _i, name: _n, version: _v, parentVersion: _p, ...rest } = draft;
    const [a, b] = await Promise.all([store.addVersion(record, rest), store.addVersion(record, rest)]);
    assert.deepEqual([a.version, b.version].sort(), [2, 3]);
  });

  it('reports a corrupt blob on read instead of serving it, everywhere it is read', async () => {
    const { folder, service } = await setup();
    const { id } = await service.create({ folder });
    await damage(service, id, 'src/index.ts');
    await assert.rejects(service.readFile({ id, version: 1, path: 'src/index.ts' }), (err: Error) => {
      assert.ok(err instanceof CorruptStoreError);
      assert.match(err.message, /The stored copy of src\/index\.ts in .+@1 is corrupt \(its content no longer matches its sha256\); it was not used\./);
      return true;
    });
    const out = join(scratch(), 'x.zip');
    await assert.rejects(service.export({ ref: { id }, format: 'zip', out }), CorruptStoreError);
    assert.ok(!existsSync(out), 'a partial archive was left behind');
    assert.deepEqual(readdirSync(join(out, '..')), []);
    for (const format of ['tar', 'tgz'] as const) {
      const tarOut = join(scratch(), `x.${format}`);
      await assert.rejects(service.export({ ref: { id }, format, out: tarOut }), CorruptStoreError);
      assert.deepEqual(readdirSync(join(tarOut, '..')), []);
    }
    // The file on disk is left alone when the restore cannot trust the stored copy.
    writeFileSync(join(folder, 'src/index.ts'), 'changed\n');
    await assert.rejects(service.restore({ ref: { id, version: 1 } }), /corrupt.*nothing was restored\./);
    assert.equal(readFileSync(join(folder, 'src/index.ts'), 'utf8'), 'changed\n');
  });

  it('reports a missing blob and a damaged manifest', async () => {
    const { folder, service, store } = await setup();
    const { id } = await service.create({ folder });
    const file = (await service.manifest({ id })).files.find((f) => f.path === 'README.md')!;
    rmSync(store.blobs.path(file.sha256));
    await assert.rejects(service.readFile({ id, version: 1, path: 'README.md' }), /README\.md in .+ is missing from the capsule store/);
    writeFileSync(join(store.dir, 'by-id', id, 'versions', '1.json'), '{"broken": true}');
    const fresh = new CapsuleService(new CapsuleStore(store.dir), service.workspaceRoot);
    await assert.rejects(
      fresh.manifest({ id, version: 1 }),
      (err: Error) => err instanceof CorruptStoreError && /manifest of .+@1 is damaged/.test(err.message),
    );
  });

  it('collects unreferenced blobs and crash leftovers, sparing recent ones and referenced ones', async () => {
    const { folder, service, store } = await setup();
    const { id } = await service.create({ folder });
    const before = blobCount(store);
    const orphan = await store.blobs.putBuffer(Buffer.from('from a snapshot that crashed before its manifest'));
    const leftover = join(store.blobs.dir, 'ab');
    mkdirSync(leftover, { recursive: true });
    writeFileSync(join(leftover, '.qlp-tmp-half-written'), 'partial');
    assert.deepEqual(await store.collectGarbage(), { removed: 0, freedBytes: 0 }, 'recent files are spared');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(store.blobs.path(orphan.sha256), old, old);
    utimesSync(join(leftover, '.qlp-tmp-half-written'), old, old);
    const collected = await store.collectGarbage();
    assert.equal(collected.removed, 1);
    assert.ok(!existsSync(join(leftover, '.qlp-tmp-half-written')));
    assert.equal(blobCount(store), before);
    for (const file of (await service.manifest({ id })).files) assert.equal(await store.blobs.verify(file.sha256, file.path), null);
  });

  it('stops collecting, deleting nothing, when a record or a versions folder cannot be read, and says which once', async () => {
    const { folder, service, store } = await setup();
    const { id } = await service.create({ folder });
    const blobs = (await service.manifest({ id })).files.map((f) => store.blobs.path(f.sha256));
    const old = new Date(Date.now() - 3600_000);
    for (const blob of blobs) utimesSync(blob, old, old);
    const notices: string[] = [];
    store.onNotice = (message) => notices.push(message);

    const recordPath = join(store.dir, 'by-id', id, 'capsule.json');
    writeFileSync(recordPath, '{"id": "half a rec');
    const first = await store.collectGarbage();
    assert.deepEqual([first.removed, first.freedBytes], [0, 0]);
    assert.equal(
      first.stopped,
      `Unused stored files were not cleaned up: The record of capsule '${id}' (${recordPath}) is damaged; repair or remove that file.`,
    );
    await store.collectGarbage();
    assert.deepEqual(notices, [first.stopped], 'reported once');
    for (const blob of blobs) assert.ok(existsSync(blob), `${blob} was deleted`);

    // The record repaired, but the versions folder unreadable (a file where the folder was).
    writeFileSync(recordPath, JSON.stringify({ id, name: 'project', folder, createdAt: new Date().toISOString(), tags: {} }));
    const versions = join(store.dir, 'by-id', id, 'versions');
    const kept = join(scratch(), 'versions');
    renameSync(versions, kept);
    writeFileSync(versions, 'not a folder');
    const second = await new CapsuleStore(store.dir).collectGarbage();
    assert.match(second.stopped ?? '', new RegExp(`The versions of capsule '${id}' \\(${versions}\\) cannot be read \\(ENOTDIR\\)`));
    for (const blob of blobs) assert.ok(existsSync(blob), `${blob} was deleted`);
    rmSync(versions);
    renameSync(kept, versions);
    assert.equal((await new CapsuleStore(store.dir).collectGarbage()).removed, 0, 'whole again, nothing it holds is collected');
  });

  it('refuses to start a second capsule for a folder while a damaged record may be its own, naming the file', async () => {
    const { ws, folder, service, store } = await setup();
    const { id } = await service.create({ folder });
    const other = sampleProject(join(ws, 'other'));
    const otherCapsule = await service.create({ folder: other });
    const recordPath = join(store.dir, 'by-id', id, 'capsule.json');
    writeFileSync(recordPath, 'not json at all');
    const notices: string[] = [];
    store.onNotice = (message) => notices.push(message);

    const refusal = `The record of capsule '${id}' (${recordPath}) is damaged and may be this folder's, so no new capsule was started: repair or remove that file, then try again.`;
    await assert.rejects(service.create({ folder }), (err: Error) => err instanceof CorruptStoreError && err.message === refusal);
    await assert.rejects(service.create({ folder }), (err: Error) => err.message === refusal);
    assert.deepEqual(await store.ids(), [id, otherCapsule.id].sort(), 'no second capsule was started');
    // The list shows the others; the damaged record is reported once, however often it is listed.
    for (let i = 0; i < 2; i++)
      assert.deepEqual(
        (await service.list()).map((c) => c.id),
        [otherCapsule.id],
      );
    // A folder whose own record reads fine goes on, and hears of the damaged one once.
    writeFileSync(join(other, 'NEW.md'), 'new\n');
    assert.deepEqual([(await service.create({ folder: other })).version, (await service.create({ folder: other })).version], [2, 2]);
    assert.deepEqual(notices, [`The record of capsule '${id}' (${recordPath}) is damaged; it was skipped. Repair or remove that file.`]);
    // Removing the damaged record, as the message says, lets the folder get a capsule again.
    rmSync(recordPath);
    const fresh = await service.create({ folder });
    assert.notEqual(fresh.id, id);
    assert.deepEqual((await service.list()).map((c) => c.id).sort(), [fresh.id, otherCapsule.id].sort());
  });

  it('frees the blobs only a deleted version held, and deletes the capsule with its last version', async () => {
    const { folder, service, store } = await setup();
    const { id } = await service.create({ folder });
    writeTree(folder, { 'big.bin': Buffer.alloc(50_000, 7) });
    await service.create({ folder });
    const deleted = await service.delete({ id, version: 2 }, 0);
    assert.deepEqual(deleted.deletedVersions, [2]);
    assert.equal(deleted.freedBytes, 50_000);
    assert.ok(await service.readFile({ id, version: 1, path: 'README.md' }));
    const all = await service.delete({ id }, 0);
    assert.deepEqual(all.deletedVersions, [1]);
    assert.deepEqual(await service.list(), []);
    assert.equal(blobCount(store), 0);
  });

  it('refuses folders over the caps with one sentence, storing nothing', async () => {
    const { folder, service } = await setup({ ...defaultArchiveLimits, maxFiles: 3 });
    await assert.rejects(service.create({ folder }), /more than 3 files, more than a capsule may hold; add generated folders to \.gitignore\./);
    const big = await setup({ ...defaultArchiveLimits, maxFileBytes: 1000 });
    await assert.rejects(
      big.service.create({ folder: big.folder }),
      /assets\/logo\.bin is 68\.4 KB, over the 1000 B a capsule file may hold; add it to \.gitignore\./,
    );
    assert.deepEqual(await big.service.list(), []);
  });

  it('renames, tags and validates names and tags', async () => {
    const { folder, service } = await setup();
    const { id } = await service.create({ folder, name: 'First name' });
    assert.match(id, /^first-name-[0-9a-f]{6}$/);
    assert.equal((await service.rename({ id, name: '  Better name ' })).name, 'Better name');
    assert.deepEqual((await service.tag({ id, version: 1, tags: ['release', 'v1.0', 'release'] })).versions[0].tags, ['release', 'v1.0']);
    await assert.rejects(service.tag({ id, version: 1, tags: ['no spaces'] }), /'no spaces' is not a tag/);
    await assert.rejects(service.rename({ id, name: '  ' }), CapsuleInputError);
    await assert.rejects(service.tag({ id, version: 7, tags: [] }), /has no version 7/);
    await assert.rejects(service.show({ id: 'nope-000000' }), /There is no capsule 'nope-000000' in this workspace\./);
    await assert.rejects(service.show({ id: '../etc' }), /is not a capsule id/);
  });

  it('writes blobs read-only, and keeps the store outside the workspace and its .git', async () => {
    const { ws, folder, service, store } = await setup();
    mkdirSync(join(folder, '.git'));
    writeFileSync(join(folder, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await service.create({ folder });
    assert.ok(!store.dir.startsWith(ws));
    const manifest = await service.manifest({ id: (await service.list())[0].id });
    assert.ok(!manifest.files.some((f) => f.path.startsWith('.git/')));
    assert.equal(statSync(store.blobs.path(manifest.files[0].sha256)).mode & 0o777, 0o444);
    assert.deepEqual(readdirSync(join(folder, '.git')), ['HEAD']);
  });
});
