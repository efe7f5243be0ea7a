// `qlp generate` as a process against the scripted loopback model: a verified project with its
// capsule, a byte-for-byte replay with no model call, and one-line errors for bad input.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeModelServer } from '../support/fakeModelServer';
import { cliPath } from '../support/paths';
import { runCli } from '../support/runCli';
import { sandboxEnv, scratchDir, testStorage } from '../support/sandboxes';
import { fixedSource, projectFiles, scriptedProject } from '../support/scriptedProject';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.respondWith(scriptedProject());
});

const requirements = 'A command-line tool that adds two numbers.';
const oneLine = (stderr: string) => {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  return lines[0]!;
};

describe('qlp generate', () => {
  it('writes a verified project, records a capsule, and replays it byte for byte without a model', async (t) => {
    const sandbox = await sandboxEnv('bwrap', t);
    if (!sandbox) return;
    const workspace = scratchDir('qlp-cli-gen-');
    const env = { ...sandbox, QLP_HOME: testStorage(), QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'scripted-coder', QLP_SANDBOX_MODE: 'bwrap' };
    const run = await runCli(['generate', requirements, '--out', 'adder', '--stack', 'node-cli', '--json'], env, workspace);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.status, 'verified');
    assert.equal(result.rounds, 1);
    assert.deepEqual(result.tests, { passed: 1, failed: 0, skipped: 0 });
    assert.ok(result.usage.calls >= 7 && result.usage.inputTokens > 0);
    assert.match(run.stderr, /qlp: Plan \(T\d local:scripted-coder\)/);
    assert.equal(readFileSync(join(workspace, 'adder', 'src/index.js'), 'utf8'), fixedSource);
    assert.equal(readFileSync(join(workspace, 'adder', 'README.md'), 'utf8'), projectFiles['README.md']);

    const list = JSON.parse((await runCli(['capsule', 'list', '--json'], env, workspace)).stdout);
    assert.equal(list.capsules[0].id, result.capsule.id);

    assert.ok(result.mutation.score >= 0.6 && result.mutation.mutants > 0, JSON.stringify(result.mutation));
    assert.deepEqual(result.failingTests, []);
    assert.match(run.stderr, /qlp: Mutation score \d+ %: the tests caught \d+ of \d+ small deliberate bugs/);

    // The receipt checks out against the capsule's files.
    const verify = await runCli(['capsule', 'verify', result.capsule.id, '--json'], env, workspace);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.equal(JSON.parse(verify.stdout).intact, true);

    const calls = server.requests.length;
    const replay = await runCli(['generate', '--replay', result.capsule.id, '--out', 'again', '--json'], env, workspace);
    assert.equal(replay.code, 0, replay.stderr);
    const replayed = JSON.parse(replay.stdout);
    assert.equal(replayed.reproduced, true);
    // A replay spends nothing; what the recording cost is reported apart.
    assert.equal(replayed.usage.costUsd, 0);
    assert.equal(replayed.usage.recordedCostUsd, result.usage.costUsd);
    assert.equal(server.requests.length, calls);
    assert.equal(readFileSync(join(workspace, 'again', 'src/index.js'), 'utf8'), fixedSource);
  });

  it('ends unverified with the failing test named when no repair round is allowed', async (t) => {
    const sandbox = await sandboxEnv('bwrap', t);
    if (!sandbox) return;
    server.respondWith(scriptedProject());
    const workspace = scratchDir('qlp-cli-gen-rounds-');
    const env = { ...sandbox, QLP_HOME: testStorage(), QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'scripted-coder' };
    const run = await runCli(
      ['generate', requirements, '--out', 'adder', '--stack', 'node-cli', '--max-repair-rounds', '0', '--sandbox', 'bwrap', '--parallel', '1', '--json'],
      env,
      workspace,
    );
    assert.equal(run.code, 1, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.status, 'unverified');
    assert.equal(result.rounds, 0);
    assert.match(result.reasons.join(' '), /the tests failed in the bwrap sandbox: test\/index\.test\.js::adds two numbers/);
    assert.match(result.failingTests[0], /^test\/index\.test\.js::adds two numbers: /);
    assert.equal(result.mutation, null, 'no mutation check for a failing run');
  });

  it('stops on Ctrl+C while files stream, exits 130 and leaves no target folder', async () => {
    const workspace = scratchDir('qlp-cli-gen-int-');
    const slow = scriptedProject();
    server.respondWith((request) => {
      const reply = slow(request);
      return 'text' in reply && reply.text.length ? { ...reply, text: reply.text.flatMap((c) => c.split('')), delayMs: 20 } : reply;
    });
    const child = spawn(process.execPath, [cliPath, 'generate', requirements, '--out', 'adder', '--stack', 'node-cli'], {
      cwd: workspace,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        QLP_HOME: testStorage(),
        QLP_LOCAL_BASE_URL: server.openaiBaseUrl,
        QLP_LOCAL_MODEL: 'scripted-coder',
      },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    while (!/Writing \d+ files/.test(stderr)) await new Promise((r) => setTimeout(r, 50));
    const at = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.ok(Date.now() - at < 5000, `exited ${Date.now() - at} ms after Ctrl+C`);
    assert.equal(code, 130, stderr);
    assert.match(stderr, /^qlp: Generation cancelled; the target folder was left as it was\.$/m);
    assert.equal(existsSync(join(workspace, 'adder')), false);
  });

  it('refuses bad input with one line and exit 2, calling no model', async () => {
    const workspace = scratchDir('qlp-cli-gen-bad-');
    const env = { QLP_HOME: testStorage(), QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'scripted-coder' };
    mkdirSync(join(workspace, 'taken'));
    writeFileSync(join(workspace, 'taken', 'keep.txt'), 'mine\n');
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [['generate', requirements], env, /--out/],
      [['generate', requirements, '--out', 'x', '--tier', 'T9'], env, /--tier must be/],
      [['generate', requirements, '--out', 'x', '--stack', 'cobol'], env, /--stack must be one of/],
      [['generate', requirements, '--out', 'x', '--budget-usd', '-1'], env, /'--budget-usd' argument is ambiguous/],
      [['generate', requirements, '--out', 'x', '--budget-usd=-1'], env, /--budget-usd must be a number/],
      [['generate', requirements, '--out', 'x', '--budget', 'lots'], env, /--budget must be a number/],
      [['generate', requirements, '--out', 'x', '--budget', '1', '--budget-usd', '1'], env, /give the budget once/],
      [['generate', requirements, '--out', 'x', '--max-repair-rounds', '11'], env, /--max-repair-rounds must be a whole number from 0 to 10/],
      [['generate', requirements, '--out', 'x', '--parallel', '0'], env, /--parallel must be a whole number from 1 to 16/],
      [['generate', requirements, '--out', 'x', '--min-mutation-score', '60'], env, /--min-mutation-score must be a share from 0 to 1/],
      [['generate', requirements, '--out', 'x', '--sandbox', 'chroot'], env, /--sandbox/],
      [['generate', requirements, '--out', 'taken'], env, /is not empty/],
      [['generate', '   ', '--out', 'x'], env, /requirements are empty/],
      [['generate', requirements, '--out', 'x'], { QLP_HOME: env.QLP_HOME }, /no model provider is configured/],
      [['generate', '--replay', 'no-such-capsule', '--out', 'x'], env, /no capsule 'no-such-capsule'/],
    ];
    for (const [args, caseEnv, message] of cases) {
      const run = await runCli(args, caseEnv, workspace);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(oneLine(run.stderr), message);
    }
    assert.equal(server.requests.length, 0);
    assert.equal(readFileSync(join(workspace, 'taken', 'keep.txt'), 'utf8'), 'mine\n');
  });
});
