// `qlp test` and `qlp sandbox prepare` as processes, in both sandboxes: the contract's JSON and
// exit codes, one-line errors, Ctrl+C, and an API key in the environment that never gets in.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliPath, repoRoot } from '../support/paths';
import { interrupt, runCli, startCli } from '../support/runCli';
import { sandboxEnv, sandboxKinds, scratchDir, testStorage } from '../support/sandboxes';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'sandbox', name);
const contractKeys = ['status', 'exitCode', 'durationMs', 'sandbox', 'command', 'timedOut', 'oomKilled', 'tests', 'stdout', 'stderr'];
const fakeKey = 'sk-cli-test-abcdef0123456789';

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\bat .+:\d+:\d+/);
  return lines[0];
}

function project(name: string, files: Record<string, string>): string {
  const dir = join(scratchDir('qlp-cli-test-'), name);
  mkdirSync(dir);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  return dir;
}

/** The CLI's environment: only what a user would have, plus the sandbox's engine. */
const cliEnv = (env: NodeJS.ProcessEnv, qlpHome: string, extra: NodeJS.ProcessEnv = {}) => ({
  PATH: process.env.PATH,
  QLP_HOME: qlpHome,
  QLP_SANDBOX_MEMORY_MB: '256',
  ...(env.DOCKER_HOST ? { DOCKER_HOST: env.DOCKER_HOST } : {}),
  ...extra,
});

for (const kind of sandboxKinds) {
  describe(`qlp test in the ${kind} sandbox`, { timeout: 300_000 }, () => {
    const home = testStorage();

    for (const [name, status, code, tests] of [
      ['node-pass', 'passed', 0, { passed: 3, failed: 0, skipped: 1 }],
      ['node-fail', 'failed', 1, { passed: 2, failed: 1, skipped: 1 }],
      ['python-pytest-pass', 'passed', 0, { passed: 5, failed: 0, skipped: 0 }],
      ['python-pytest-fail', 'failed', 1, { passed: 4, failed: 1, skipped: 0 }],
    ] as const) {
      it(`${name}: exit ${code}, one JSON document with status ${status} and the counts`, async (t) => {
        const env = await sandboxEnv(kind, t);
        if (!env) return;
        const run = await runCli(['test', fixture(name), '--sandbox', kind, '--json'], cliEnv(env, home));
        assert.equal(run.code, code, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.deepEqual(Object.keys(result).slice(0, contractKeys.length), contractKeys);
        assert.equal(result.status, status);
        assert.equal(result.sandbox, kind);
        // The contract's three counts, and the breakdown read from the runner's report beside them.
        assert.deepEqual({ passed: result.tests.passed, failed: result.tests.failed, skipped: result.tests.skipped }, tests);
        assert.equal(result.tests.source, 'junit');
        assert.equal(result.exitCode, code);
        assert.match(result.receipt.inputHash, /^[0-9a-f]{64}$/);
        assert.match(run.stderr, /^qlp: Running /m, 'progress goes to stderr');
      });
    }

    it('prints the test output live and a summary in text mode; receipts hash the same inputs the same', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const text = await runCli(['test', fixture('python-unittest'), '--sandbox', kind], cliEnv(env, home));
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stderr, /Ran 3 tests in/, 'unittest writes to stderr, shown live');
      assert.match(text.stdout, /^PASSED: 2 passed, 0 failed, 1 skipped in [\d.]+ s \(/m);
      assert.match(text.stdout, /^Coverage \(coverage\.py\): \d+% of lines$/m);
      const hash = /^Inputs: 2 files, sha256 ([0-9a-f]{64})$/m.exec(text.stdout)?.[1];
      const again = await runCli(['test', fixture('python-unittest'), '--sandbox', kind], cliEnv(env, home));
      assert.equal(/sha256 ([0-9a-f]{64})$/m.exec(again.stdout)?.[1], hash);
    });

    it('stops tests at --timeout: status timeout, exit 1', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const loop = project('loop', {
        'package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
        'loop.test.js': "require('node:test')('spins', () => { for (;;) {} });\n",
      });
      const started = Date.now();
      const run = await runCli(['test', loop, '--sandbox', kind, '--timeout', '2', '--json'], cliEnv(env, home));
      assert.equal(run.code, 1, run.stderr);
      const result = JSON.parse(run.stdout);
      assert.equal(result.status, 'timeout');
      assert.equal(result.timedOut, true);
      assert.equal(result.error, 'The tests did not finish within 2 s and were stopped.');
      assert.ok(Date.now() - started < 20_000);
    });

    it('keeps OPENAI_API_KEY of its own environment out of the sandbox and its output', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const snoop = project('snoop', {
        'package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
        'snoop.test.js':
          "require('node:test')('env', () => { console.log(JSON.stringify(process.env)); if (process.env.OPENAI_API_KEY) throw new Error('key visible'); });\n",
      });
      const run = await runCli(['test', snoop, '--sandbox', kind, '--json'], cliEnv(env, home, { OPENAI_API_KEY: fakeKey }));
      assert.equal(run.code, 0, run.stdout);
      assert.ok(!run.stdout.includes(fakeKey) && !run.stderr.includes(fakeKey));
      assert.match(JSON.parse(run.stdout).stdout, /"HOME":"\/tmp"/);
    });

    it('cancels on Ctrl+C: exit 130 at once, nothing left running', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const slow = project('slow', {
        'package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
        'slow.test.js': "require('node:test')('waits', () => new Promise((r) => setTimeout(r, 60000)));\n",
      });
      const { child, stderr } = startCli(['test', slow, '--sandbox', kind], cliEnv(env, home));
      while (!/Running node --test/.test(stderr())) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1500));
      const { code, afterMs } = await interrupt(child);
      assert.ok(afterMs < 5000, `exited ${afterMs} ms after Ctrl+C`);
      assert.equal(code, 130);
      assert.match(stderr(), /^qlp: The test run was cancelled; nothing is left running\.$/m);
      if (kind === 'bwrap')
        assert.deepEqual(
          readdirSync('/sys/fs/cgroup/pids/qlp-sandbox').filter((g) => g.startsWith(`run-${child.pid}-`)),
          [],
        );
    });

    it('qlp sandbox prepare makes the sandbox ready and proves it runs as the sandbox user', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const run = await runCli(['sandbox', 'prepare', '--sandbox', kind, '--json'], cliEnv(env, home));
      assert.equal(run.code, 0, run.stderr);
      const [prepared] = JSON.parse(run.stdout).sandboxes;
      assert.equal(prepared.kind, kind);
      assert.equal(prepared.ready, true, prepared.error);
      assert.ok(prepared.smokeRunMs > 0);
      if (kind === 'docker') assert.match(prepared.images[0].image, /^qlp-sandbox-host:[0-9a-f]{12}$/);
    });
  });
}

describe('qlp test: bad input and missing sandboxes', () => {
  const home = testStorage();

  it('refuses bad usage with exit 2 and one line', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['test'], /^qlp: test needs the project's folder; usage: qlp test <dir>/],
      [['test', 'a', 'b'], /^qlp: test takes one folder, got 2 arguments\.$/],
      [['test', join(home, 'nope')], /^qlp: .*nope is not a folder; give the project's folder\.$/],
      [['test', fixture('node-pass'), '--sandbox', 'vm'], /^qlp: --sandbox must be one of auto, docker, bwrap, got 'vm'\.$/],
      [['test', fixture('node-pass'), '--timeout', '0'], /^qlp: --timeout must be a whole number of seconds from 1 to 3600, got '0'\.$/],
      [['test', fixture('node-pass'), '--frob'], /^qlp: unknown option '--frob' for 'test'; see 'qlp test --help'\.$/],
      [['sandbox', 'build'], /^qlp: usage: qlp sandbox prepare/],
    ];
    for (const [args, pattern] of cases) {
      const run = await runCli(args, { QLP_HOME: home });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(oneLine(run.stderr), pattern);
    }
  });

  it('says clearly when a folder has no tests (exit 2)', async () => {
    const empty = project('empty', { 'README.md': '# nothing here\n' });
    const run = await runCli(['test', empty], { QLP_HOME: home });
    assert.equal(run.code, 2);
    assert.match(oneLine(run.stderr), /No tests found in .*empty: it is neither a Node\.js project/);
  });

  it('refuses bubblewrap without a cgroup of its own rather than run it unlimited (exit 3)', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to run the command line as a user without cgroup rights');
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        'setpriv',
        ['--reuid', '65534', '--regid', '65534', '--clear-groups', process.execPath, cliPath, 'test', fixture('node-pass'), '--sandbox', 'bwrap'],
        {
          env: { PATH: process.env.PATH, HOME: '/tmp', QLP_HOME: join(tmpdir(), `qlp-nobody-${process.pid}-${Date.now()}`) },
        },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    assert.equal(run.code, 3, run.stderr);
    assert.match(
      oneLine(run.stderr),
      /^qlp: Cannot create a cgroup under \/sys\/fs\/cgroup \(EACCES\); bubblewrap limits need root or a delegated cgroup\. Use Docker, or run QLP as root\.$/,
    );
  });

  it('refuses to run without a sandbox (exit 3), never unsandboxed', async () => {
    const noTools = scratchDir();
    const none = await runCli(['test', fixture('node-pass')], { QLP_HOME: home, PATH: noTools, DOCKER_HOST: `unix://${noTools}/none.sock` });
    assert.equal(none.code, 3, none.stderr);
    assert.match(
      oneLine(none.stderr),
      /^qlp: No sandbox is available, and generated code never runs without one: No Docker engine socket at .*\. bubblewrap \(bwrap\) is not on PATH.* Start a Docker engine or install bubblewrap\.$/,
    );
    const docker = await runCli(['test', fixture('node-pass'), '--sandbox', 'docker'], { QLP_HOME: home, DOCKER_HOST: `unix://${noTools}/none.sock` });
    assert.equal(docker.code, 3);
    assert.match(oneLine(docker.stderr), /^qlp: No Docker engine socket at unix:\/\/.*none\.sock; start dockerd or set DOCKER_HOST\.$/);
    const bwrap = await runCli(['test', fixture('node-pass'), '--sandbox', 'bwrap'], { QLP_HOME: home, PATH: noTools });
    assert.equal(bwrap.code, 3);
    assert.match(oneLine(bwrap.stderr), /^qlp: bubblewrap \(bwrap\) is not on PATH/);
    // sysfs takes no new folders, not even from root.
    const storage = await runCli(['test', fixture('node-pass')], { QLP_HOME: '/sys/qlp-home' });
    assert.equal(storage.code, 3);
    assert.match(oneLine(storage.stderr), /^qlp: Cannot write to \/sys\/qlp-home\/sandbox \(E[A-Z]+\); set QLP_HOME to a writable folder\.$/);
    const prepare = await runCli(['sandbox', 'prepare'], { QLP_HOME: home, PATH: noTools, DOCKER_HOST: `unix://${noTools}/none.sock` });
    assert.equal(prepare.code, 3);
    assert.match(prepare.stdout, /^✘ docker: .*\n✘ bwrap: /);
  });
});
