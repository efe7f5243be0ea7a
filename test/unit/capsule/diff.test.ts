// Changes between versions, and between a version and the folder.
import assert from 'node:assert/strict';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diffFiles } from '../../../language-server/src/capsule/diff';
import { CapsuleService } from '../../../language-server/src/capsule/service';
import { scratch, writeTree } from '../../support/capsuleFixtures';

const f = (path: string, sha: string, mode = 0o644) => ({ path, sha256: sha.repeat(64), size: 1, mode });

describe('capsule diff', () => {
  it('classifies added, removed, modified and mode-only changes, sorted by path', () => {
    const changes = diffFiles([f('a', '1'), f('b', '2'), f('c', '3'), f('d', '4')], [f('a', '1'), f('b', '9'), f('c', '3', 0o755), f('e', '5')]);
    assert.deepEqual(
      changes.map((c) => [c.path, c.status]),
      [
        ['b', 'modified'],
        ['c', 'mode'],
        ['d', 'removed'],
        ['e', 'added'],
      ],
    );
    assert.equal(changes[0].before?.sha256, '2'.repeat(64));
    assert.equal(changes[0].after?.sha256, '9'.repeat(64));
    assert.equal(changes[3].before, undefined);
  });

  it('compares two versions, and a version with the folder as it is now', async () => {
    const ws = scratch();
    const folder = writeTree(join(ws, 'p'), { 'a.txt': 'a', 'b.txt': 'b', 'run.sh': 'echo' });
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const { id } = await service.create({ folder });
    writeFileSync(join(folder, 'a.txt'), 'A');
    rmSync(join(folder, 'b.txt'));
    await service.create({ folder });
    chmodSync(join(folder, 'run.sh'), 0o755);
    writeTree(folder, { 'c.txt': 'c' });

    const versions = await service.diff({ from: { id, version: 1 }, to: { id, version: 2 } });
    assert.deepEqual(versions.to, { id, version: 2 });
    assert.deepEqual(
      versions.changes.map((c) => `${c.status} ${c.path}`),
      ['modified a.txt', 'removed b.txt'],
    );

    const live = await service.diff({ from: { id }, to: 'folder' });
    assert.equal(live.to, 'folder');
    assert.equal(live.folder, folder);
    assert.deepEqual(
      live.changes.map((c) => `${c.status} ${c.path}`),
      ['added c.txt', 'mode run.sh'],
    );
  });
});
