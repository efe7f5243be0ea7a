// Staging copies a project without following links, and its hash depends on the inputs only.
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stageProject } from '../../../language-server/src/sandbox/stage';

const scratch = () => mkdtempSync(join(tmpdir(), 'qlp-stage-'));

function project(): string {
  const dir = scratch();
  mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"p"}');
  writeFileSync(join(dir, 'src', 'lib', 'a.js'), 'module.exports = 1;\n');
  writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(dir, 'run.sh'), 0o755);
  symlinkSync('/etc/passwd', join(dir, 'escape'));
  for (const skipped of ['node_modules/x', '.git/objects', '__pycache__']) {
    mkdirSync(join(dir, skipped), { recursive: true });
    writeFileSync(join(dir, skipped, 'f'), 'cache');
  }
  return dir;
}

describe('staging', () => {
  it('copies files and links (never following them), leaving out caches, dependencies and .git', async () => {
    const dir = project();
    const out = join(scratch(), 'src');
    const staged = await stageProject(dir, out);
    assert.deepEqual(staged.files.map((f) => `${f.kind} ${f.path}`).sort(), ['exec run.sh', 'file package.json', 'file src/lib/a.js', 'link escape']);
    assert.equal(readlinkSync(join(out, 'escape')), '/etc/passwd');
    assert.ok(lstatSync(join(out, 'escape')).isSymbolicLink());
    assert.equal(readFileSync(join(out, 'src', 'lib', 'a.js'), 'utf8'), 'module.exports = 1;\n');
    assert.equal(lstatSync(join(out, 'run.sh')).mode & 0o777, 0o755);
    assert.equal(lstatSync(join(out, 'package.json')).mode & 0o777, 0o644);
    assert.equal(lstatSync(join(out, 'src')).mode & 0o777, 0o755);
    assert.ok(!existsSync(join(out, 'node_modules')) && !existsSync(join(out, '.git')) && !existsSync(join(out, '__pycache__')));
  });

  it('gives the same hash for the same inputs, wherever and whenever they are staged', async () => {
    const a = project();
    const first = await stageProject(a, join(scratch(), 's'));
    utimesSync(join(a, 'package.json'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    writeFileSync(join(a, 'node_modules', 'x', 'f'), 'changed cache');
    const again = await stageProject(a, join(scratch(), 's'));
    const elsewhere = await stageProject(project(), join(scratch(), 's'));
    assert.equal(again.inputHash, first.inputHash);
    assert.equal(elsewhere.inputHash, first.inputHash);
    assert.match(first.inputHash, /^[0-9a-f]{64}$/);
  });

  it('changes the hash when a content, an executable bit, a path or a link target changes', async () => {
    const hashOf = async (change: (dir: string) => void) => {
      const dir = project();
      change(dir);
      return (await stageProject(dir, join(scratch(), 's'))).inputHash;
    };
    const base = await hashOf(() => undefined);
    const variants = await Promise.all([
      hashOf((d) => writeFileSync(join(d, 'src', 'lib', 'a.js'), 'module.exports = 2;\n')),
      hashOf((d) => chmodSync(join(d, 'package.json'), 0o755)),
      hashOf((d) => writeFileSync(join(d, 'src', 'b.js'), '')),
      hashOf((d) => {
        unlinkSync(join(d, 'escape'));
        symlinkSync('/etc/hosts', join(d, 'escape'));
      }),
    ]);
    for (const v of variants) assert.notEqual(v, base);
    assert.equal(new Set(variants).size, variants.length);
  });

  it('refuses a missing folder and projects over the size limits in one sentence', async () => {
    await assert.rejects(stageProject(join(scratch(), 'nope'), join(scratch(), 's')), /^Error: .*nope is not a folder; give the project's folder\.$/);
    await assert.rejects(stageProject(project(), join(scratch(), 's'), { maxFiles: 2, maxBytes: 1e9 }), /more than 2 files/);
    await assert.rejects(stageProject(project(), join(scratch(), 's'), { maxFiles: 100, maxBytes: 10 }), /larger than 0 MiB/);
  });
});
