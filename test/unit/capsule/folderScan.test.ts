// Which files a capsule takes from a folder: .gitignore honoured like git, .git never, links and
// special files left out and reported.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { scanFolder } from '../../../language-server/src/capsule/folderScan';
import { defaultCapsuleLimits } from '../../../language-server/src/capsule/limits';
import { scratch, writeTree } from '../../support/capsuleFixtures';

const paths = async (folder: string) => (await scanFolder(folder, defaultCapsuleLimits)).files.map((f) => f.path).sort();

describe('folder scan', () => {
  it("leaves out what .gitignore files ignore, with git's precedence and negations", async () => {
    const folder = writeTree(scratch(), {
      '.gitignore': 'node_modules/\n*.log\nbuild\n!keep.log\n',
      'app.js': 'x',
      'debug.log': 'x',
      'keep.log': 'x',
      'node_modules/lib/index.js': 'x',
      'build/out.js': 'x',
      'src/.gitignore': 'generated/\n!important.log\n',
      'src/a.ts': 'x',
      'src/important.log': 'x',
      'src/other.log': 'x',
      'src/generated/g.ts': 'x',
      'src/node_modules/x.js': 'x',
    });
    assert.deepEqual(await paths(folder), ['.gitignore', 'app.js', 'keep.log', 'src/.gitignore', 'src/a.ts', 'src/important.log']);
  });

  it('agrees with git on which files are not ignored', async () => {
    const folder = writeTree(scratch(), {
      '.gitignore': '/dist\n*.tmp\ndocs/**/draft-*\nlogs/\n!logs/keep.txt\n*.o\n!important.o\n',
      'dist/a.js': 'x',
      'lib/dist/b.js': 'x',
      'x.tmp': 'x',
      'docs/guide/draft-1.md': 'x',
      'docs/guide/final.md': 'x',
      'logs/keep.txt': 'x',
      'logs/other.txt': 'x',
      'obj/a.o': 'x',
      'obj/important.o': 'x',
      'obj/.gitignore': '!a.o\n',
      'src/.gitignore': '*\n!*.ts\n!.gitignore\n',
      'src/a.ts': 'x',
      'src/b.js': 'x',
    });
    execFileSync('git', ['init', '-q'], { cwd: folder });
    const byGit = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '-z'], { cwd: folder, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean)
      .sort();
    assert.deepEqual(await paths(folder), byGit);
    assert.ok(byGit.includes('obj/a.o') && !byGit.includes('logs/keep.txt'), byGit.join(' '));
  });

  it('applies the .gitignore files above the folder up to its repository root', async () => {
    const repo = scratch();
    mkdirSync(join(repo, '.git'));
    writeTree(repo, { '.gitignore': 'secret-dir/\n*.bak\n', 'apps/.gitignore': 'cache/\n' });
    const folder = writeTree(join(repo, 'apps', 'web'), { 'index.html': 'x', 'old.bak': 'x', 'cache/c.txt': 'x', 'secret-dir/s.txt': 'x' });
    assert.deepEqual(await paths(folder), ['index.html']);
    const outside = writeTree(scratch(), { 'old.bak': 'x' });
    assert.deepEqual(await paths(outside), ['old.bak']);
  });

  it('never takes .git, and leaves out symbolic links and special files, saying so', async () => {
    const folder = writeTree(scratch(), { 'a.txt': 'x', '.git/config': 'x', 'sub/.git': 'gitdir: ../x' });
    symlinkSync('/etc/passwd', join(folder, 'link'));
    symlinkSync(join(folder, 'sub'), join(folder, 'dirlink'));
    execFileSync('mkfifo', [join(folder, 'pipe')]);
    const scan = await scanFolder(folder, defaultCapsuleLimits);
    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['a.txt'],
    );
    assert.deepEqual(scan.leftOut, [
      { path: 'dirlink', reason: 'symlink' },
      { path: 'link', reason: 'symlink' },
      { path: 'pipe', reason: 'special' },
    ]);
  });

  it('records permission bits and sizes', async () => {
    const folder = writeTree(scratch(), { 'run.sh': ['#!/bin/sh\n', 0o750], 'data.txt': 'hello' });
    writeFileSync(join(folder, 'empty'), '');
    const scan = await scanFolder(folder, defaultCapsuleLimits);
    assert.deepEqual(
      scan.files.map(({ path, size, mode }) => ({ path, size, mode })),
      [
        { path: 'data.txt', size: 5, mode: 0o644 },
        { path: 'empty', size: 0, mode: 0o644 },
        { path: 'run.sh', size: 10, mode: 0o750 },
      ],
    );
    assert.equal(scan.bytes, 15);
  });
});
