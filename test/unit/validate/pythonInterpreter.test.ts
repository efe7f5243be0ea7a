// pyright's interpreter: a version manager's shim is asked once, then its answer comes from the
// cache until something that decides it changes; the interpreter's version is asked once too.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolvePythonInterpreter } from '../../../language-server/src/validate/tools/pythonInterpreter';

const realPython = '/usr/bin/python3';

/** A folder with bin/ for PATH, a cache file, and a log that the scripts written here append to. */
function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'qlp-python-'));
  const bin = join(dir, 'bin');
  const calls = join(dir, 'calls');
  writeFileSync(calls, '');
  mkdirSync(bin);
  return {
    dir,
    bin,
    cache: join(dir, 'cache.json'),
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir },
    /** An executable shell script at `path`: `body`'s lines, `$LOG` standing for the call log. */
    script(path: string, body: string) {
      writeFileSync(path, `#!/bin/sh\n${body.replaceAll('$LOG', calls)}\n`);
      chmodSync(path, 0o755);
    },
    callCount: () => readFileSync(calls, 'utf8').split('\n').filter(Boolean).length,
  };
}

describe('the Python interpreter for pyright', () => {
  it('asks a shim once, then uses the cached answer until the version it depends on changes', async () => {
    const { dir, bin, cache, env, script, callCount } = scratch();
    // A shim like pyenv's: a script that records the call and runs the real interpreter.
    script(join(bin, 'python3'), `echo x >> $LOG\nexec ${realPython} "$@"`);
    const project = join(dir, 'project');
    mkdirSync(project);
    const signal = new AbortController().signal;
    const exe = await resolvePythonInterpreter(project, env, cache, signal);
    assert.ok(exe?.path.startsWith('/usr/bin/python3'), exe?.path);
    assert.deepEqual(await resolvePythonInterpreter(project, env, cache, signal), exe);
    assert.equal(callCount(), 1, 'the second run used the cache');
    writeFileSync(join(project, '.python-version'), '3.12\n');
    assert.deepEqual(await resolvePythonInterpreter(project, env, cache, signal), exe);
    assert.equal(callCount(), 2, "a .python-version file changes the answer's key");
    await resolvePythonInterpreter(project, { ...env, PYENV_VERSION: 'system' }, cache, signal);
    assert.equal(callCount(), 3);
  });

  it('asks the interpreter its version once, and again when the interpreter changes', async () => {
    const { dir, bin, cache, env, script, callCount } = scratch();
    // The interpreter the shim names: a script that records each call and runs the real one.
    const real = join(dir, 'python3.real');
    script(real, `echo v >> $LOG\nexec ${realPython} "$@"`);
    script(join(bin, 'python3'), `echo ${real}`);
    const signal = new AbortController().signal;
    const first = await resolvePythonInterpreter(dir, env, cache, signal);
    assert.equal(first?.path, real);
    assert.match(first?.version ?? '', /^3\.\d+$/);
    assert.deepEqual(await resolvePythonInterpreter(dir, env, cache, signal), first);
    assert.equal(callCount(), 1, 'the version came from the cache');
    writeFileSync(real, `${readFileSync(real, 'utf8')}\n`);
    assert.deepEqual(await resolvePythonInterpreter(dir, env, cache, signal), first);
    assert.equal(callCount(), 2, 'a changed interpreter is asked again');
  });

  it('hands pyright a real python3 on PATH, and nothing when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-python-'));
    const signal = new AbortController().signal;
    const found = await resolvePythonInterpreter(dir, { PATH: '/usr/bin:/bin' }, join(dir, 'cache.json'), signal);
    assert.equal(found?.path, realPython);
    assert.match(found?.version ?? '', /^3\.\d+$/);
    assert.equal(await resolvePythonInterpreter(dir, { PATH: join(dir, 'nothing') }, join(dir, 'cache.json'), signal), undefined);
  });

  it('in an untrusted folder, lets nothing of the folder choose or be the interpreter', async () => {
    const { dir, bin, cache, env, script } = scratch();
    const project = join(dir, 'project');
    mkdirSync(join(project, 'bin'), { recursive: true });
    const ran = join(dir, 'ran');
    // The folder's own python3, first on PATH (as a relative `bin` or `.` on PATH would find it).
    script(join(project, 'bin', 'python3'), `echo project >> ${ran}\nexec ${realPython} "$@"`);
    // A shim that says where it was asked (version files there choose its answer).
    script(join(bin, 'python3'), `pwd >> ${ran}\nexec ${realPython} "$@"`);
    const signal = new AbortController().signal;
    const untrusted = await resolvePythonInterpreter(project, { ...env, PATH: `${join(project, 'bin')}:${env.PATH}` }, cache, signal, false);
    assert.ok(untrusted?.path.startsWith('/usr/bin/python3'), untrusted?.path);
    assert.deepEqual(readFileSync(ran, 'utf8').trim().split('\n'), [dir], "the shim was asked in the home folder, the folder's python3 never ran");
    await resolvePythonInterpreter(project, { ...env, PATH: `${join(project, 'bin')}:${env.PATH}` }, cache, signal, true);
    assert.equal(readFileSync(ran, 'utf8').trim().split('\n').at(-1), 'project', "a trusted folder's own python3 is asked");
  });
});
