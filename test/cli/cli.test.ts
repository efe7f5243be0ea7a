import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startFakeDockerEngine, type FakeEngine } from '../support/fakeDockerEngine';
import { repoRoot } from '../support/paths';
import { runCli } from '../support/runCli';

const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
const execFileAsync = promisify(execFile);
const scratch = () => mkdtempSync(join(tmpdir(), 'qlp-cli-'));

/** A PATH holding `node` and an executable `bwrap` only. */
function pathWithBwrap(): string {
  const dir = scratch();
  writeFileSync(join(dir, 'bwrap'), '#!/bin/sh\necho "bubblewrap 0.8.0"\n');
  chmodSync(join(dir, 'bwrap'), 0o755);
  return dir;
}

/** One line, no stack trace. */
function assertOneLineError(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /\bat .+:\d+:\d+/);
}

describe('qlp command line', () => {
  let engine: FakeEngine;
  before(async () => {
    engine = await startFakeDockerEngine({ version: '28.2.2' });
  });
  after(() => engine.close());

  it('prints its version', async () => {
    const run = await runCli(['--version']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), version);
  });

  it('runs as an executable through its shebang, with two malloc arenas', async () => {
    const cli = join(repoRoot, 'dist', 'cli.js');
    chmodSync(cli, 0o755);
    const { stdout } = await execFileAsync(cli, ['--version'], { env: { PATH: process.env.PATH } });
    assert.equal(stdout.trim(), version);
    const printEnv = scratch();
    writeFileSync(join(printEnv, 'node'), '#!/bin/sh\necho "$MALLOC_ARENA_MAX"\n');
    chmodSync(join(printEnv, 'node'), 0o755);
    const shebang = await execFileAsync(cli, [], { env: { PATH: `${printEnv}:${process.env.PATH}` } });
    assert.equal(shebang.stdout.trim(), '2');
  });

  it('lists its commands and the exit codes in --help', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Usage: qlp <command>/);
    assert.match(run.stdout, /doctor/);
    assert.match(run.stdout, /Exit codes: 0 success, 1 .*, 2 .*, 3 /);
  });

  it('shows usage and exits 2 when given nothing', async () => {
    const run = await runCli([]);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /Usage:/);
  });

  it('refuses an unknown command with exit 2 and one line', async () => {
    const run = await runCli(['frobnicate']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assertOneLineError(run.stderr, /^qlp: unknown command 'frobnicate'; run 'qlp --help' for the commands\.$/);
  });

  it('has every command of the contract, each with its usage', async () => {
    for (const command of ['generate', 'validate', 'test', 'index', 'search', 'capsule', 'serve', 'doctor']) {
      const run = await runCli([command, '--help']);
      assert.equal(run.code, 0, `${command}: ${run.stderr}`);
      assert.match(run.stdout, new RegExp(`^Usage: qlp ${command}`), command);
    }
  });

  it('refuses an unknown option with exit 2 and one line', async () => {
    const run = await runCli(['doctor', '--frob']);
    assert.equal(run.code, 2);
    assertOneLineError(run.stderr, /^qlp: unknown option '--frob' for 'doctor'; see 'qlp doctor --help'\.$/);
  });

  it('shows a command\'s usage with --help', async () => {
    const run = await runCli(['doctor', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: qlp doctor \[--json\]/);
  });

  it('doctor --json prints one JSON document with what the machine offers, and never a key', async () => {
    const home = scratch();
    const run = await runCli(['doctor', '--json'], {
      PATH: `${pathWithBwrap()}:${process.env.PATH}`,
      DOCKER_HOST: engine.dockerHost,
      QLP_HOME: home,
      OPENAI_API_KEY: 'sk-test-do-not-print',
      QLP_LOCAL_BASE_URL: 'http://127.0.0.1:1234/v1',
      QLP_LOCAL_MODEL: 'qwen2.5-coder:7b',
    });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.version, version);
    assert.equal(report.node.version, process.versions.node);
    assert.deepEqual(report.docker, { reachable: true, host: engine.dockerHost, version: '28.2.2' });
    assert.equal(report.bubblewrap.available, true);
    assert.deepEqual(report.storage, { path: home, writable: true });
    assert.equal(report.sandbox, 'docker');
    assert.equal(report.ok, true);
    assert.deepEqual(report.providers.find((p: { id: string }) => p.id === 'openai'), { id: 'openai', configured: true, source: 'OPENAI_API_KEY' });
    assert.deepEqual(report.providers.find((p: { id: string }) => p.id === 'local'), { id: 'local', configured: true, source: 'QLP_LOCAL_MODEL', baseUrl: 'http://127.0.0.1:1234/v1' });
    assert.ok(!run.stdout.includes('sk-test-do-not-print') && !run.stderr.includes('sk-test-do-not-print'));
  });

  it('doctor exits 1 when no sandbox is available or storage is not writable, and says why', async () => {
    const blocked = join(scratch(), 'file');
    writeFileSync(blocked, '');
    const run = await runCli(['doctor'], {
      PATH: scratch(),
      DOCKER_HOST: `unix://${scratch()}/none.sock`,
      QLP_HOME: join(blocked, 'qlp'),
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✘ Docker engine: No Docker engine socket/);
    assert.match(run.stdout, /✘ bubblewrap: bubblewrap \(bwrap\) is not on PATH/);
    assert.match(run.stdout, /✘ Storage: Cannot write to/);
    assert.match(run.stdout, /✘ Sandbox: none/);
  });
});
