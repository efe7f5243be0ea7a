// pyright's interpreter: a version manager's shim is asked once, then its answer comes from the
// cache until something that decides it changes; a real python3 on PATH is left to pyright.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolvePythonInterpreter } from '../../../language-server/src/validate/tools/pythonInterpreter';

const realPython = '/usr/bin/python3';

describe('the Python interpreter for pyright', () => {
  it('asks a shim once, then uses the cached answer until the version it depends on changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-python-'));
    const bin = join(dir, 'bin');
    const calls = join(dir, 'calls');
    writeFileSync(calls, '');
    mkdirSync(bin);
    // A shim like pyenv's: a script that records the call and runs the real interpreter.
    writeFileSync(join(bin, 'python3'), `#!/bin/sh\necho x >> ${calls}\nexec ${realPython} "$@"\n`);
    chmodSync(join(bin, 'python3'), 0o755);
    const project = join(dir, 'project');
    mkdirSync(project);
    const cache = join(dir, 'cache.json');
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: dir };
    const signal = new AbortController().signal;
    const exe = await resolvePythonInterpreter(project, env, cache, signal);
    assert.ok(exe && exe.startsWith('/usr/bin/python3'), exe);
    assert.equal(await resolvePythonInterpreter(project, env, cache, signal), exe);
    assert.equal(readFileSync(calls, 'utf8').split('\n').filter(Boolean).length, 1, 'the second run used the cache');
    writeFileSync(join(project, '.python-version'), '3.12\n');
    assert.equal(await resolvePythonInterpreter(project, env, cache, signal), exe);
    assert.equal(readFileSync(calls, 'utf8').split('\n').filter(Boolean).length, 2, 'a .python-version file changes the answer\'s key');
    await resolvePythonInterpreter(project, { ...env, PYENV_VERSION: 'system' }, cache, signal);
    assert.equal(readFileSync(calls, 'utf8').split('\n').filter(Boolean).length, 3);
  });

  it('leaves a real interpreter, or none, to pyright', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-python-'));
    const signal = new AbortController().signal;
    assert.equal(await resolvePythonInterpreter(dir, { PATH: '/usr/bin:/bin' }, join(dir, 'cache.json'), signal), undefined);
    assert.equal(await resolvePythonInterpreter(dir, { PATH: join(dir, 'nothing') }, join(dir, 'cache.json'), signal), undefined);
  });
});
