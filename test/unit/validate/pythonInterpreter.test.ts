// pyright's interpreter: a version manager's shim is asked once, then its answer comes from the
// cache until something that decides it changes; the interpreter's version is asked once too.
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
    assert.ok(exe?.path.startsWith('/usr/bin/python3'), exe?.path);
    assert.deepEqual(await resolvePythonInterpreter(project, env, cache, signal), exe);
    assert.equal(readFileSync(calls, 'utf8').split('\n').filter(Boolean).length, 1, 'the second run used the cache');
    writeFileSync(join(project, '.python-version'), '3.12\n');
    assert.deepEqual(await resolvePythonInterpreter(project, env, cache, signal), exe);
    assert.equal(readFileSync(calls, 'utf8').split('\n').filter(Boolean).length, 2, 'a .python-version file changes the answer\'s key');
    await resolvePythonInterpreter(project, { ...env, PYENV_VERSION: 'system' }, cache, signal);
    assert.equal(readFileSync(calls, 'utf8').split('\n').filter(Boolean).length, 3);
  });

  it('asks the interpreter its version once, and again when the interpreter changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-python-'));
    const bin = join(dir, 'bin');
    const calls = join(dir, 'calls');
    writeFileSync(calls, '');
    mkdirSync(bin);
    // The interpreter the shim names: a script that records each call and runs the real one.
    const real = join(dir, 'python3.real');
    writeFileSync(real, `#!/bin/sh\necho v >> ${calls}\nexec ${realPython} "$@"\n`);
    chmodSync(real, 0o755);
    writeFileSync(join(bin, 'python3'), `#!/bin/sh\necho ${real}\n`);
    chmodSync(join(bin, 'python3'), 0o755);
    const cache = join(dir, 'cache.json');
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: dir };
    const signal = new AbortController().signal;
    const first = await resolvePythonInterpreter(dir, env, cache, signal);
    assert.equal(first?.path, real);
    assert.match(first?.version ?? '', /^3\.\d+$/);
    assert.deepEqual(await resolvePythonInterpreter(dir, env, cache, signal), first);
    assert.equal(readFileSync(calls, 'utf8').split('\n').filter(Boolean).length, 1, 'the version came from the cache');
    writeFileSync(real, `${readFileSync(real, 'utf8')}\n`);
    assert.deepEqual(await resolvePythonInterpreter(dir, env, cache, signal), first);
    assert.equal(readFileSync(calls, 'utf8').split('\n').filter(Boolean).length, 2, 'a changed interpreter is asked again');
  });

  it('hands pyright a real python3 on PATH, and nothing when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-python-'));
    const signal = new AbortController().signal;
    const found = await resolvePythonInterpreter(dir, { PATH: '/usr/bin:/bin' }, join(dir, 'cache.json'), signal);
    assert.equal(found?.path, realPython);
    assert.match(found?.version ?? '', /^3\.\d+$/);
    assert.equal(await resolvePythonInterpreter(dir, { PATH: join(dir, 'nothing') }, join(dir, 'cache.json'), signal), undefined);
  });
});
