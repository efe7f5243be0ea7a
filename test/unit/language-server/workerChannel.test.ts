// A worker that shares the process's environment: what it sets is what native add-ons (LanceDB
// reads its build bounds there) and every other thread see; a worker without it sets its own copy.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WorkerChannel } from '../../../language-server/src/common/workerChannel';
import { scratch } from '../../support/capsuleFixtures';

const workerSource = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  process.env[m.name] = 'set in the worker';
  parentPort.postMessage({ kind: 'result', id: m.id, result: process.env[m.name] });
});
`;

describe('worker channel', () => {
  const file = join(scratch(), 'setEnv.js');
  writeFileSync(file, workerSource);
  const channels: Array<WorkerChannel<never>> = [];
  const open = (shareEnv: boolean) => {
    const channel = new WorkerChannel<never>(file, { what: 'test', cancelled: () => new Error('cancelled'), shareEnv });
    channels.push(channel);
    return channel;
  };
  after(() => Promise.all(channels.map((c) => c.dispose())));

  it("lets a worker set the process's own environment when asked to share it", async () => {
    const name = 'QLP_TEST_SHARED_ENV';
    assert.equal(await open(true).request({ name }), 'set in the worker');
    assert.equal(process.env[name], 'set in the worker');
    delete process.env[name];
  });

  it('keeps what a worker sets to its own copy otherwise', async () => {
    const name = 'QLP_TEST_COPIED_ENV';
    assert.equal(await open(false).request({ name }), 'set in the worker');
    assert.equal(process.env[name], undefined);
  });
});
