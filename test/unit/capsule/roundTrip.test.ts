// Snapshot → export (ZIP, TAR, TAR.GZ) → import gives back the folder byte for byte, modes included.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CancelledError } from '../../../language-server/src/common/cancellation';
import { CapsuleService } from '../../../language-server/src/capsule/service';
import { readTree, sampleProject, scratch, writeTree } from '../../support/capsuleFixtures';

describe('capsule export → import round trip', () => {
  for (const format of ['zip', 'tar', 'tgz'] as const) {
    it(`is byte-exact through ${format}, modes included`, async () => {
      const ws = scratch();
      const folder = sampleProject(join(ws, 'project'));
      const service = await CapsuleService.open(join(scratch(), 'data'), ws);
      const created = await service.create({ folder });
      assert.equal(created.files, Object.keys(readTree(folder)).length);

      const out = join(scratch(), `project.${format}`);
      const exported = await service.export({ ref: { id: created.id }, format, out });
      assert.equal(exported.files, created.files);
      assert.deepEqual(exported.leftOut, []);

      const target = join(scratch(), 'imported');
      const other = await CapsuleService.open(join(scratch(), 'data'), ws);
      const imported = await other.import({ archive: out, out: target });
      assert.equal(imported.files, created.files);
      assert.equal(imported.id, created.id, 'a store that does not know the capsule keeps its id');
      assert.equal(imported.version, created.version);
      assert.deepEqual(readTree(target), readTree(folder));
      assert.equal(readTree(target)['bin/run.sh'].mode, 0o755);
      assert.equal(readTree(target)['readonly.txt'].mode, 0o444);

      const manifest = (await other.show({ id: imported.id })).manifest;
      assert.deepEqual(manifest.files, (await service.show({ id: created.id })).manifest.files);
    });
  }

  it("writes the same bytes for the same version twice (entries carry the version's time)", async () => {
    const ws = scratch();
    const folder = sampleProject(join(ws, 'project'));
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const { id } = await service.create({ folder });
    for (const format of ['zip', 'tar', 'tgz'] as const) {
      const a = join(scratch(), `a.${format}`);
      const b = join(scratch(), `b.${format}`);
      await service.export({ ref: { id }, format, out: a });
      await new Promise((r) => setTimeout(r, 1100));
      await service.export({ ref: { id }, format, out: b });
      assert.ok(readFileSync(a).equals(readFileSync(b)), `${format} exports differ`);
    }
  });

  it('imports into a new capsule when the store already has that id, and numbers it from 1', async () => {
    const ws = scratch();
    const folder = sampleProject(join(ws, 'project'));
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const { id } = await service.create({ folder });
    const out = join(scratch(), 'p.zip');
    await service.export({ ref: { id }, format: 'zip', out });
    const imported = await service.import({ archive: out, out: join(ws, 'copy') });
    assert.notEqual(imported.id, id);
    assert.equal(imported.version, 1);
    assert.deepEqual(readTree(join(ws, 'copy')), readTree(folder));
    assert.equal((await service.list()).length, 2);
  });

  it('reports progress while exporting, and a cancelled export leaves nothing behind', async () => {
    const ws = scratch();
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 12; i++) files[`data/${i}.bin`] = randomBytes(1024 * 1024);
    const folder = writeTree(join(ws, 'big'), files);
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const { id } = await service.create({ folder });
    for (const format of ['zip', 'tar', 'tgz'] as const) {
      const seen: number[] = [];
      const out = join(scratch(), `big.${format}`);
      await service.export({ ref: { id }, format, out }, { onProgress: (p) => seen.push(p.done) });
      assert.ok(seen.length > 5 && seen.at(-1) === 12 * 1024 * 1024, `${format}: ${seen.length} progress reports, last ${seen.at(-1)}`);

      const controller = new AbortController();
      const cancelled = join(scratch(), `cancelled.${format}`);
      const run = service.export(
        { ref: { id }, format, out: cancelled },
        {
          signal: controller.signal,
          onProgress: (p) => p.done > 2 * 1024 * 1024 && controller.abort(),
        },
      );
      await assert.rejects(run, (err: Error) => err instanceof CancelledError);
      assert.deepEqual(readdirSync(join(cancelled, '..')), [], `${format}: a cancelled export left a file`);
    }
  });

  it('refuses to snapshot a path too deep for an import to take, naming it', async () => {
    const ws = scratch();
    const deep = `${'level/'.repeat(33)}file.txt`;
    const folder = writeTree(join(ws, 'deep'), { 'ok.txt': 'ok\n', [deep]: 'deep\n' });
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    await assert.rejects(
      service.create({ folder }),
      /^CapsuleInputError: level\/level\/.+ is more than 32 folders deep, deeper than a capsule path may be; add it to \.gitignore\.$/,
    );
    assert.deepEqual(await service.list(), []);
  });
});
