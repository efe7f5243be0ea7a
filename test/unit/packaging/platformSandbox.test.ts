// The sandbox on each platform: bubblewrap only on Linux; Docker Desktop elsewhere (its named pipe
// by default on Windows), with a message that says so when no engine answers. The platform is
// passed in, so Linux runs the macOS and Windows branches.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { probeBubblewrap } from '../../../language-server/src/machine/bubblewrap';
import { dockerHost } from '../../../language-server/src/machine/dockerEngine';
import { probeDockerEngine } from '../../../language-server/src/machine/dockerProbe';
import { selectSandbox } from '../../../language-server/src/sandbox/select';
import { SandboxUnavailableError } from '../../../language-server/src/sandbox/types';

/** A folder holding an executable `bwrap` that answers --version. */
function fakeBwrapDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qlp-bwrap-'));
  writeFileSync(join(dir, 'bwrap'), '#!/bin/sh\necho "bubblewrap 0.8.0"\n');
  chmodSync(join(dir, 'bwrap'), 0o755);
  return dir;
}

const noEngine = () => `unix://${mkdtempSync(join(tmpdir(), 'qlp-no-engine-'))}/docker.sock`;

describe('sandbox per platform', () => {
  it('finds bubblewrap on Linux only', async () => {
    const path = fakeBwrapDir();
    assert.equal((await probeBubblewrap(path, 'linux')).available, true);
    for (const platform of ['darwin', 'win32'] as const) {
      const probe = await probeBubblewrap(path, platform);
      assert.equal(probe.available, false);
      assert.equal(probe.error, 'bubblewrap runs on Linux only; on this system the sandbox is Docker Desktop.');
    }
  });

  it("talks to Docker Desktop's named pipe by default on Windows, DOCKER_HOST first everywhere", () => {
    assert.equal(dockerHost({}, 'win32'), 'npipe:////./pipe/docker_engine');
    assert.equal(dockerHost({}, 'darwin'), 'unix:///var/run/docker.sock');
    assert.equal(dockerHost({}, 'linux'), 'unix:///var/run/docker.sock');
    assert.equal(dockerHost({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, 'win32'), 'tcp://127.0.0.1:2375');
  });

  it('tells a Mac or Windows user without an engine to start Docker Desktop', async () => {
    const probe = await probeDockerEngine({ DOCKER_HOST: noEngine() }, 1000, 'darwin');
    assert.equal(probe.reachable, false);
    assert.match(probe.error!, /; install and start Docker Desktop or set DOCKER_HOST\.$/);
    const linux = await probeDockerEngine({ DOCKER_HOST: noEngine() }, 1000, 'linux');
    assert.match(linux.error!, /; start dockerd or set DOCKER_HOST\.$/);
  });

  it('refuses bwrap off Linux, and names Docker Desktop as the remedy when auto finds nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qlp-select-'));
    const env = { PATH: fakeBwrapDir(), DOCKER_HOST: noEngine() };
    await assert.rejects(
      selectSandbox('bwrap', { env, dataDir, platform: 'darwin' }),
      (err: Error) => err instanceof SandboxUnavailableError && /Linux only/.test(err.message),
    );
    for (const platform of ['darwin', 'win32'] as const) {
      await assert.rejects(selectSandbox('auto', { env, dataDir, platform }), (err: Error) => {
        assert.ok(err instanceof SandboxUnavailableError);
        assert.match(
          err.message,
          /^No sandbox is available, and generated code never runs without one: .*Install and start Docker Desktop \(bubblewrap runs on Linux only\)\.$/,
        );
        assert.doesNotMatch(err.message, /install bubblewrap/);
        return true;
      });
    }
    await assert.rejects(
      selectSandbox('auto', { env: { PATH: mkdtempSync(join(tmpdir(), 'qlp-empty-')), DOCKER_HOST: noEngine() }, dataDir, platform: 'linux' }),
      /Start a Docker engine or install bubblewrap\.$/,
    );
  });
});
