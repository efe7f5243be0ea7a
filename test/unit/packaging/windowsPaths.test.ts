// Paths from outside (a model's file names, capsule archive entries and manifests) in their
// Windows forms: drive letters, backslashes, UNC names, `..\`. Each is refused, or becomes a
// `/`-separated relative path that Windows' own rules (path.win32) keep inside the target folder.
import assert from 'node:assert/strict';
import { win32 } from 'node:path';
import { describe, it } from 'node:test';
import { isSafeRelativePath } from '../../../protocol/capsule';
import { entryRole } from '../../../language-server/src/capsule/importChecks';
import { defaultCapsuleLimits } from '../../../language-server/src/capsule/limits';
import { checkGeneratedPath } from '../../../language-server/src/generate/pathSafety';

const folder = 'C:\\Users\\me\\work\\adder';

/** How the capsule and generation code turn a checked path into a file of the folder. */
const onWindows = (path: string) => win32.join(folder, ...path.split('/'));

/** True when Windows would write `built` inside `folder`. */
function insideOnWindows(built: string): boolean {
  const rel = win32.relative(folder, built);
  return rel !== '' && !rel.startsWith(`..${win32.sep}`) && rel !== '..' && !win32.isAbsolute(rel);
}

const hostile = [
  'C:\\Windows\\System32\\drivers\\etc\\hosts',
  'C:/Windows/win.ini',
  'd:evil.txt',
  '\\\\server\\share\\x.js',
  '//server/share/x.js',
  '..\\..\\escape.js',
  'src\\..\\..\\escape.js',
  '\\rooted.js',
  'src/../../escape.js',
];

describe('Windows path forms', () => {
  it("a model's file names: backslashes folded to /, every escape refused", () => {
    assert.deepEqual(checkGeneratedPath('src\\index.js'), { path: 'src/index.js' });
    assert.deepEqual(checkGeneratedPath('.\\test\\index.test.js'), { path: 'test/index.test.js' });
    for (const raw of hostile) {
      const verdict = checkGeneratedPath(raw);
      assert.ok(verdict.refused, `${raw} was accepted as ${verdict.path}`);
    }
    for (const raw of ['CON', 'nul.txt', 'src/COM1.js', 'notes.txt:hidden', 'src/trailing.', 'what?.js']) assert.ok(checkGeneratedPath(raw).refused, raw);
    assert.equal(onWindows(checkGeneratedPath('src\\lib\\util.js').path!), 'C:\\Users\\me\\work\\adder\\src\\lib\\util.js');
  });

  it('capsule archive entries: drive letters, backslashes and ..\\ are refused before anything is unpacked', () => {
    for (const name of ['C:/evil.js', 'C:\\evil.js', 'files/..\\..\\evil.js', 'files\\src\\index.js', 'files/src\\index.js', '\\\\server\\share\\x']) {
      assert.throws(
        () => entryRole({ name, type: 'file' }, defaultCapsuleLimits),
        /The archive entry .* (absolute path|outside the folder|not allowed|is not part of a capsule)/,
        name,
      );
    }
    assert.deepEqual(entryRole({ name: 'files/src/index.js', type: 'file' }, defaultCapsuleLimits), { kind: 'file', path: 'src/index.js' });
  });

  it('capsule manifest paths: what is accepted stays inside the folder under Windows rules', () => {
    for (const path of hostile) assert.equal(isSafeRelativePath(path), false, path);
    for (const path of ['src/index.js', 'a/b/c/d.txt', '.github/workflows/ci.yml', 'deep/..name/ok.js']) {
      assert.equal(isSafeRelativePath(path), true, path);
      assert.ok(insideOnWindows(onWindows(path)), `${path} → ${onWindows(path)}`);
    }
  });
});
