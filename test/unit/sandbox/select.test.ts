// auto takes Docker when an engine answers, else bubblewrap, else refuses; named modes insist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { selectSandbox } from '../../../language-server/src/sandbox/select';
import { startFakeDockerEngine, type FakeEngine } from '../../support/fakeDockerEngine';
import { sandboxEnv, scratchDir } from '../../support/sandboxes';

describe('sandbox selection', () => {
  let engine: FakeEngine;
  before(async () => {
    engine = await startFakeDockerEngine({ version: '28.2.2' });
  });
  after(() => engine.close());
  const dataDir = scratchDir();
  const nowhere = `unix://${scratchDir()}/none.sock`;

  it('auto: Docker when an engine answers, else bubblewrap', async (t) => {
    assert.equal((await selectSandbox('auto', { env: { DOCKER_HOST: engine.dockerHost, PATH: process.env.PATH }, dataDir })).kind, 'docker');
    if (!(await sandboxEnv('bwrap', t))) return;
    assert.equal((await selectSandbox('auto', { env: { DOCKER_HOST: nowhere, PATH: process.env.PATH }, dataDir })).kind, 'bwrap');
  });

  it('auto without either refuses in one sentence with both reasons (exit 3)', async () => {
    const err = await selectSandbox('auto', { env: { DOCKER_HOST: nowhere, PATH: scratchDir() }, dataDir }).catch((e) => e);
    assert.equal(err.exitCode, 3);
    assert.match(
      err.message,
      /^No sandbox is available, and generated code never runs without one: No Docker engine socket at .*\. bubblewrap \(bwrap\) is not on PATH.*\. Start a Docker engine or install bubblewrap\.$/,
    );
  });

  it('docker and bwrap insist on their sandbox', async () => {
    await assert.rejects(selectSandbox('docker', { env: { DOCKER_HOST: nowhere }, dataDir }), /No Docker engine socket at/);
    await assert.rejects(selectSandbox('bwrap', { env: { PATH: scratchDir() }, dataDir }), /bubblewrap \(bwrap\) is not on PATH/);
    assert.equal((await selectSandbox('docker', { env: { DOCKER_HOST: engine.dockerHost }, dataDir })).kind, 'docker');
  });
});
