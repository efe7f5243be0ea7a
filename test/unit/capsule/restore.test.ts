// Restoring a version never loses work: the folder is recorded first, only captured files are
// replaced or removed, and anything no capsule holds stops the restore before it starts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CapsuleService } from '../../../language-server/src/capsule/service';
import { fakeOpenAiKey, readTree, sampleProject, scratch, writeTree } from '../../support/capsuleFixtures';

async function setup() {
  const ws = scratch();
  const folder = sampleProject(join(ws, 'project'));
  const service = await CapsuleService.open(join(scratch(), 'data'), ws);
  const { id } = await service.create({ folder });
  return { folder, service, id, original: readTree(folder) };
}

describe('restore', () => {
  it('brings back a version (content, modes, removed and added files) after recording the current state', async () => {
    const { folder, service, id, original } = await setup();
    writeFileSync(join(folder, 'src/index.ts'), 'edited\n');
    rmSync(join(folder, 'bin/run.sh'));
    writeTree(folder, { 'new/file.txt': 'added later\n', 'README.md': ['# Sample\n\nA project with a few files.\n', 0o600] });
    const edited = readTree(folder);

    const result = await service.restore({ ref: { id, version: 1 } });
    assert.deepEqual(result.backup, { version: 2, created: true });
    assert.equal(result.written, 2);
    assert.equal(result.deleted, 1);
    assert.deepEqual(readTree(folder), original);
    assert.ok(!existsSync(join(folder, 'new')), 'the folder emptied by the restore is removed');

    // Nothing was lost: the edited state is version 2, and restoring it brings it back.
    await service.restore({ ref: { id, version: 2 } });
    assert.deepEqual(readTree(folder), edited);
  });

  it('adds no backup version when the folder matches the latest version already', async () => {
    const { folder, service, id } = await setup();
    writeFileSync(join(folder, 'src/index.ts'), 'v2\n');
    await service.create({ folder });
    const result = await service.restore({ ref: { id, version: 1 } });
    assert.deepEqual(result.backup, { version: 2, created: false });
    assert.equal(readFileSync(join(folder, 'src/index.ts'), 'utf8'), 'export const answer = 42;\n');
  });

  it('never touches ignored files or files left out as secrets', async () => {
    const { folder, service, id } = await setup();
    const env = `OPENAI_API_KEY=${fakeOpenAiKey()}\n`;
    writeTree(folder, { '.gitignore': 'dist/\n', 'dist/bundle.js': 'built', '.env': env });
    await service.restore({ ref: { id, version: 1 } });
    assert.equal(readFileSync(join(folder, 'dist/bundle.js'), 'utf8'), 'built');
    assert.equal(readFileSync(join(folder, '.env'), 'utf8'), env);
    assert.ok(!existsSync(join(folder, '.gitignore')), '.gitignore was captured, then removed as the version lacks it');
  });

  it('refuses, changing nothing, when it would overwrite a file no capsule holds', async () => {
    const { folder, service, id } = await setup();
    const env = `OPENAI_API_KEY=${fakeOpenAiKey()}\n`;
    writeTree(folder, { '.env': env });
    await service.create({ folder, includeSecrets: true });
    const withEnv = (await service.summary(id)).latest;
    writeFileSync(join(folder, '.env'), `OPENAI_API_KEY=${fakeOpenAiKey()}\n`);
    writeFileSync(join(folder, 'src/index.ts'), 'work in progress\n');
    const before = readTree(folder);
    await assert.rejects(
      service.restore({ ref: { id, version: withEnv } }),
      /Restoring would overwrite \.env, which no capsule version holds \(ignored or left out as a likely secret\); move it away first\./,
    );
    assert.deepEqual(readTree(folder), before);
  });

  it('refuses to write through a symbolic link', async () => {
    const { folder, service, id } = await setup();
    const elsewhere = scratch();
    rmSync(join(folder, 'src'), { recursive: true });
    symlinkSync(elsewhere, join(folder, 'src'));
    await assert.rejects(service.restore({ ref: { id, version: 1 } }), /would write through src, a symbolic link/);
    assert.deepEqual(readTree(elsewhere), {});
  });

  it('replaces a folder of captured files by a file, and recreates a folder that is gone', async () => {
    const ws = scratch();
    const folder = writeTree(join(ws, 'p'), { lib: 'a file first\n' });
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const { id } = await service.create({ folder });
    rmSync(join(folder, 'lib'));
    writeTree(folder, { 'lib/a.js': 'a', 'lib/sub/b.js': 'b' });
    await service.restore({ ref: { id, version: 1 } });
    assert.deepEqual(Object.keys(readTree(folder)), ['lib']);

    rmSync(folder, { recursive: true });
    const result = await service.restore({ ref: { id, version: 2 } });
    assert.equal(result.backup, null);
    assert.deepEqual(Object.keys(readTree(folder)).sort(), ['lib/a.js', 'lib/sub/b.js']);
  });

  it('stops rather than overwrite a file that changed or appeared while it was restoring', async () => {
    const ws = scratch();
    const folder = writeTree(join(ws, 'p'), { 'a.txt': 'a1', 'b.txt': 'b1' });
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const { id } = await service.create({ folder });
    writeFileSync(join(folder, 'a.txt'), 'a2');
    rmSync(join(folder, 'b.txt'));
    // Progress is reported just before each file is written: the user edits meanwhile.
    const typing = (path: string, content: string) => (p: { message: string }) => {
      if (p.message === 'a.txt') writeFileSync(join(folder, path), content);
    };
    await assert.rejects(
      service.restore({ ref: { id, version: 1 } }, { onProgress: typing('a.txt', 'a3 typed during the restore') }),
      /a\.txt changed while restoring/,
    );
    assert.equal(readFileSync(join(folder, 'a.txt'), 'utf8'), 'a3 typed during the restore');

    writeFileSync(join(folder, 'a.txt'), 'a2');
    await assert.rejects(service.restore({ ref: { id, version: 1 } }, { onProgress: typing('b.txt', 'new work') }), /b\.txt appeared while restoring/);
    assert.equal(readFileSync(join(folder, 'b.txt'), 'utf8'), 'new work');
  });
});
