// The one folder walker: which entries each caller's options leave in, in which order, and what
// happens to a folder it cannot read or a cancelled walk.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CancelledError } from '../../../language-server/src/common/cancellation';
import { walk, wouldWalk, type WalkEntry, type WalkOptions } from '../../../language-server/src/workspace/walk';
import { writeProject } from '../../support/projects';

const skipUnreadable = () => undefined;
const listAll = async (root: string, options: WalkOptions): Promise<WalkEntry[]> => {
  const entries: WalkEntry[] = [];
  for await (const entry of walk(root, options)) entries.push(entry);
  return entries;
};
const filePaths = async (root: string, options: WalkOptions) => (await listAll(root, options)).filter((e) => e.kind === 'file').map((e) => e.path);

describe('workspace walk', () => {
  it("with git's rules lists what git would, and decides single paths the same way", async () => {
    const root = writeProject({
      '.gitignore': '/out\n*.swp\nreports/**/tmp-*\ncache/\n!cache/readme.txt\n*.log\n',
      'out/bundle.js': 'x',
      'pkg/out/kept.js': 'x',
      'notes.swp': 'x',
      'reports/2024/tmp-1.csv': 'x',
      'reports/2024/final.csv': 'x',
      'cache/readme.txt': 'x',
      'app/.gitignore': '*\n!*.py\n!.gitignore\n!important.log\n',
      'app/main.py': 'x',
      'app/main.js': 'x',
      'app/important.log': 'x',
      'app/other.log': 'x',
      'vendored/.git': 'gitdir: ../elsewhere\n',
      'vendored/v.py': 'x',
    });
    execFileSync('git', ['init', '-q'], { cwd: root });
    const byGit = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean).sort();
    const options: WalkOptions = { gitignore: 'repository', unreadableFolder: skipUnreadable };
    const walked = await filePaths(root, options);
    assert.deepEqual([...walked].sort(), byGit);
    assert.ok(byGit.includes('app/important.log') && !byGit.includes('app/other.log') && !byGit.includes('cache/readme.txt'), byGit.join(' '));
    const candidates = [
      'out/bundle.js',
      'pkg/out/kept.js',
      'notes.swp',
      'reports/2024/tmp-1.csv',
      'reports/2024/final.csv',
      'cache/readme.txt',
      'app/main.py',
      'app/main.js',
      'app/important.log',
      'app/other.log',
      'vendored/.git',
      'vendored/v.py',
      '.git/config',
    ];
    for (const path of candidates) assert.equal(await wouldWalk(root, path, options), walked.includes(path), path);
  });

  it('applies the .gitignore files above the folder only for the repository scope', async () => {
    const repo = writeProject({
      '.gitignore': '*.bak\n',
      'app/.gitignore': 'cache/\n',
      'app/web/index.html': 'x',
      'app/web/old.bak': 'x',
      'app/web/cache/c.txt': 'x',
    });
    mkdirSync(join(repo, '.git'));
    const folder = join(repo, 'app', 'web');
    assert.deepEqual(await filePaths(folder, { gitignore: 'repository', unreadableFolder: skipUnreadable }), ['index.html']);
    assert.deepEqual(await filePaths(folder, { gitignore: 'folder', unreadableFolder: skipUnreadable }), ['cache/c.txt', 'index.html', 'old.bak']);
  });

  it("applies exclusions before the root's .gitignore, which can bring a file back", async () => {
    const root = writeProject({ '.gitignore': '!keep.min.js\n', 'a.min.js': 'x', 'keep.min.js': 'x', 'b.js': 'x' });
    assert.deepEqual(await filePaths(root, { gitignore: 'repository', exclude: ['*.min.js'], unreadableFolder: skipUnreadable }), [
      '.gitignore',
      'b.js',
      'keep.min.js',
    ]);
  });

  it('lists a folder before its content, names in code-unit order, skip-listed folders at any depth, links not followed', async () => {
    const root = writeProject({
      '.gitignore': 'ignored.txt\n',
      'B.txt': 'x',
      'a.txt': 'x',
      'a/z.txt': 'x',
      'ignored.txt': 'x',
      'sub/node_modules/m.js': 'x',
      'node_modules.txt': 'x',
      '.git/HEAD': 'x',
    });
    symlinkSync(join(root, 'a'), join(root, 'link'));
    const entries = await listAll(root, { gitignore: 'none', skipFolders: new Set(['node_modules', '.git']), unreadableFolder: skipUnreadable });
    assert.deepEqual(
      entries.map((e) => `${e.kind} ${e.path}`),
      ['file .gitignore', 'file B.txt', 'folder a', 'file a/z.txt', 'file a.txt', 'file ignored.txt', 'symlink link', 'file node_modules.txt', 'folder sub'],
    );
  });

  it('leaves out a folder it cannot read, or stops there, as the caller says', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'qlp-walk-')), 'gone');
    const seen: string[] = [];
    assert.deepEqual(await listAll(missing, { gitignore: 'folder', unreadableFolder: (dir) => void seen.push(dir) }), []);
    assert.deepEqual(seen, [missing]);
    const refusal = new Error('cannot list');
    await assert.rejects(
      listAll(missing, {
        gitignore: 'folder',
        unreadableFolder: () => {
          throw refusal;
        },
      }),
      (err) => err === refusal,
    );
  });

  it('ends with a CancelledError once its signal is aborted', async () => {
    const root = writeProject({ 'a.txt': 'x' });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(listAll(root, { gitignore: 'folder', signal: controller.signal, unreadableFolder: skipUnreadable }), CancelledError);
  });
});
