import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { probeBubblewrap } from '../../../language-server/src/machine/bubblewrap';
import { probeNode } from '../../../language-server/src/machine/node';
import { probeMachine } from '../../../language-server/src/machine/report';
import { defaultStorageDir, probeStorage } from '../../../language-server/src/machine/storage';
import { probeDockerEngine } from '../../../language-server/src/machine/dockerProbe';
import { startFakeDockerEngine, type FakeEngine } from '../../support/fakeDockerEngine';

const scratch = () => mkdtempSync(join(tmpdir(), 'qlp-machine-'));

/** A folder holding an executable `bwrap` that prints a version, like the real one. */
function fakeBwrapDir(): string {
  const dir = scratch();
  writeFileSync(join(dir, 'bwrap'), '#!/bin/sh\necho "bubblewrap 0.8.0"\n');
  chmodSync(join(dir, 'bwrap'), 0o755);
  return dir;
}

describe('machine probes', () => {
  let engine: FakeEngine;
  before(async () => {
    engine = await startFakeDockerEngine({ version: '28.2.2' });
  });
  after(() => engine.close());

  it('supports Node.js 20 and newer only', () => {
    assert.equal(probeNode('20.20.2').supported, true);
    assert.equal(probeNode('22.1.0').supported, true);
    assert.equal(probeNode('18.19.0').supported, false);
  });

  it('reaches a Docker engine named by DOCKER_HOST and reads its version', async () => {
    assert.deepEqual(await probeDockerEngine({ DOCKER_HOST: engine.dockerHost }), { reachable: true, host: engine.dockerHost, version: '28.2.2' });
  });

  it('explains a missing engine socket in one sentence', async () => {
    const probe = await probeDockerEngine({ DOCKER_HOST: `unix://${scratch()}/none.sock` });
    assert.equal(probe.reachable, false);
    assert.match(probe.error ?? '', /^No Docker engine socket at unix:\/\/.*none\.sock; start dockerd or set DOCKER_HOST\.$/);
  });

  it('gives up on an engine that never answers', async () => {
    const hung = await startFakeDockerEngine({ silent: true });
    try {
      const started = Date.now();
      const probe = await probeDockerEngine({ DOCKER_HOST: hung.dockerHost }, 300);
      assert.equal(probe.reachable, false);
      assert.match(probe.error ?? '', /did not answer within 300 ms/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      await hung.close();
    }
  });

  it('finds bubblewrap on PATH, or says how to install it', async () => {
    const found = await probeBubblewrap(fakeBwrapDir());
    assert.equal(found.available, true);
    assert.equal(found.version, '0.8.0');
    const missing = await probeBubblewrap(scratch());
    assert.equal(missing.available, false);
    assert.match(missing.error ?? '', /not on PATH/);
  });

  it('tells a writable storage folder from one that is not', async () => {
    const dir = scratch();
    assert.deepEqual(await probeStorage(join(dir, 'qlp')), { path: join(dir, 'qlp'), writable: true });
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const blocked = await probeStorage(join(file, 'qlp'));
    assert.equal(blocked.writable, false);
    assert.match(blocked.error ?? '', /Cannot write to .*; set QLP_HOME/);
  });

  it('keeps command-line data under QLP_HOME, else the XDG data folder', () => {
    assert.equal(defaultStorageDir({ QLP_HOME: '/x/qlp' }), '/x/qlp');
    assert.equal(defaultStorageDir({ XDG_DATA_HOME: '/data' }), '/data/qlp');
    const home = join(tmpdir(), 'u');
    assert.equal(defaultStorageDir({ HOME: home }), join(home, '.local', 'share', 'qlp'));
  });

  it('picks Docker over bubblewrap, bubblewrap without Docker, and nothing without either', async () => {
    const storageDir = scratch();
    const base = { storageDir, providers: [] };
    const both = await probeMachine({ ...base, env: { DOCKER_HOST: engine.dockerHost, PATH: fakeBwrapDir() } });
    assert.equal(both.sandbox, 'docker');
    assert.equal(both.ok, true);
    const bwrapOnly = await probeMachine({ ...base, env: { DOCKER_HOST: `unix://${storageDir}/none.sock`, PATH: fakeBwrapDir() } });
    assert.equal(bwrapOnly.sandbox, 'bwrap');
    const none = await probeMachine({ ...base, env: { DOCKER_HOST: `unix://${storageDir}/none.sock`, PATH: scratch() } });
    assert.equal(none.sandbox, null);
    assert.equal(none.ok, false);
  });
});
