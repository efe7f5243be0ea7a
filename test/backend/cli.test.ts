// `qlp serve` and `qlp capsule push|pull` as processes: the contract's exit codes and messages.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminKey, api } from '../support/backendProcess';
import { readTree, sampleProject, scratch } from '../support/capsuleFixtures';
import { cliPath, requireBuilt } from '../support/paths';
import { runCli } from '../support/runCli';

describe('qlp serve and qlp capsule push|pull', () => {
  let serve: ReturnType<typeof spawn>;
  let url = '';
  before(async () => {
    serve = spawn(process.execPath, [requireBuilt(cliPath), 'serve', '--port', '0', '--data', scratch('qlp-serve-')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, QLP_ADMIN_KEY: adminKey },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    url = await new Promise((resolve, reject) => {
      serve.stderr!.on('data', (d) => {
        log += d;
        const found = /listening on (\S+)/.exec(log)?.[1];
        if (found) resolve(found);
      });
      serve.once('exit', (code) => reject(new Error(`qlp serve exited (${code}): ${log}`)));
    });
  });
  after(() => {
    serve?.kill('SIGTERM');
  });

  it("pushes a snapshot and pulls it into another machine's store, byte for byte", async () => {
    const ws = realpathSync(scratch());
    const folder = sampleProject(join(ws, 'app'));
    const home = scratch();
    const created = await runCli(['capsule', 'create', folder, '--json'], { QLP_HOME: home }, ws);
    assert.equal(created.code, 0, created.stderr);
    const { id } = JSON.parse(created.stdout);
    const push = await runCli(['capsule', 'push', id, '--server', url, '--json'], { QLP_HOME: home, QLP_API_KEY: adminKey }, ws);
    assert.equal(push.code, 0, push.stderr);
    assert.equal(JSON.parse(push.stdout).status, 'pushed');
    const again = await runCli(['capsule', 'push', id, '--server', url, '--json'], { QLP_HOME: home, QLP_API_KEY: adminKey }, ws);
    assert.deepEqual([JSON.parse(again.stdout).status, JSON.parse(again.stdout).blobsSent], ['unchanged', 0]);
    assert.equal((await api(url, adminKey)('/v1/capsules')).json.capsules[0].id, id);

    const other = realpathSync(scratch());
    const pull = await runCli(['capsule', 'pull', id, '--server', url, '--out', 'copy', '--json'], { QLP_HOME: scratch(), QLP_API_KEY: adminKey }, other);
    assert.equal(pull.code, 0, pull.stderr);
    assert.deepEqual(readTree(join(other, 'copy')), readTree(folder));
  });

  it("refuses with the contract's exit codes and one line on stderr", async () => {
    const ws = realpathSync(scratch());
    const home = scratch();
    const { id } = JSON.parse((await runCli(['capsule', 'create', sampleProject(join(ws, 'app')), '--json'], { QLP_HOME: home }, ws)).stdout);
    const cases: Array<[string[], Record<string, string>, number, RegExp]> = [
      [['capsule', 'push', id], { QLP_API_KEY: adminKey }, 2, /--server/],
      [['capsule', 'push', id, '--server', url], {}, 2, /No API key/],
      [['capsule', 'push', id, '--server', url], { QLP_API_KEY: 'wrong-key' }, 2, /refused the API key/],
      [['capsule', 'push', id, '--server', 'http://127.0.0.1:9'], { QLP_API_KEY: adminKey }, 3, /cannot be reached/],
      [['capsule', 'push', id, '--server', 'ftp://x'], { QLP_API_KEY: adminKey }, 2, /http:\/\/ or https:\/\//],
      [['capsule', 'pull', 'no-such-capsule', '--server', url], { QLP_API_KEY: adminKey }, 2, /no capsule 'no-such-capsule'/],
      [['serve', '--port', 'many'], {}, 2, /--port must be a port number/],
    ];
    for (const [args, env, code, pattern] of cases) {
      const run = await runCli(args, { QLP_HOME: home, ...env }, ws);
      assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, pattern);
    }
  });
});
