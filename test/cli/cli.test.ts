import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { allocatorEnv } from '../../protocol/allocator';
import { startFakeDockerEngine, type FakeEngine } from '../support/fakeDockerEngine';
import { cliPath, repoRoot } from '../support/paths';
import { runCli } from '../support/runCli';

const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
const execFileAsync = promisify(execFile);
const scratch = () => mkdtempSync(join(tmpdir(), 'qlp-cli-'));
const escape = '\u001b[';

/** Runs `qlp args` on a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
async function runOnTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const command = [process.execPath, cliPath, ...args].map((a) => `'${a}'`).join(' ');
  // Asynchronous: the fake Docker engine answering doctor lives in this process.
  const { stdout } = await execFileAsync('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', ...env },
    encoding: 'utf8',
  });
  return stdout;
}

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

  it("runs as an executable through its shebang, with the server's malloc settings", async () => {
    const cli = join(repoRoot, 'dist', 'cli.js');
    chmodSync(cli, 0o755);
    const { stdout } = await execFileAsync(cli, ['--version'], { env: { PATH: process.env.PATH } });
    assert.equal(stdout.trim(), version);
    const printEnv = scratch();
    writeFileSync(join(printEnv, 'node'), '#!/bin/sh\nenv\n');
    chmodSync(join(printEnv, 'node'), 0o755);
    const shebang = await execFileAsync(cli, [], { env: { PATH: `${printEnv}:${process.env.PATH}` } });
    const seen = Object.fromEntries(
      shebang.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    for (const [name, value] of Object.entries(allocatorEnv)) assert.equal(seen[name], value, name);
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

  it('suggests the nearest command for a typo, with exit 2 and one line', async () => {
    const run = await runCli(['genrate', 'x', '--out', 'y']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assertOneLineError(run.stderr, /^qlp: unknown command 'genrate' \(did you mean 'generate'\?\); run 'qlp --help' for the commands\.$/);
    const sub = await runCli(['capsule', 'craete', '.']);
    assert.equal(sub.code, 2);
    assertOneLineError(sub.stderr, /^qlp: unknown capsule subcommand 'craete' \(did you mean 'create'\?\)/);
    const option = await runCli(['doctor', '--jsn']);
    assert.equal(option.code, 2);
    assertOneLineError(option.stderr, /^qlp: unknown option '--jsn' for 'doctor' \(did you mean '--json'\?\); see 'qlp doctor --help'\.$/);
    const help = await runCli(['help', 'valdate']);
    assert.equal(help.code, 2);
    assertOneLineError(help.stderr, /did you mean 'validate'\?/);
  });

  it("qlp help <command> is the command's --help: every flag of its usage on a line, an example, the variables it reads", async () => {
    const top = await runCli(['--help']);
    const names = [
      ...top.stdout
        .split('Commands:')[1]!
        .split('\n\n')[0]!
        .matchAll(/^ {2}(\S+)/gm),
    ].map((m) => m[1]!);
    assert.ok(names.length >= 11, top.stdout);
    const capsule = await runCli(['help', 'capsule']);
    const subcommands = [
      ...capsule.stdout
        .split('Subcommands:')[1]!
        .split('\n\n')[0]!
        .matchAll(/^ {2}(\S+)/gm),
    ].map((m) => `capsule ${m[1]}`);
    assert.ok(subcommands.includes('capsule verify'), capsule.stdout);
    for (const name of [...names, ...subcommands]) {
      const help = await runCli(['help', ...name.split(' ')]);
      const flag = await runCli([...name.split(' '), '--help']);
      assert.equal(help.code, 0, `${name}: ${help.stderr}`);
      assert.equal(help.stdout, flag.stdout, name);
      assert.equal(help.stderr + flag.stderr, '', name);
      const [usage, rest] = [help.stdout.split('\n\n')[0]!, help.stdout];
      assert.match(usage, new RegExp(`^Usage: qlp ${name}`), name);
      const options = rest.split('Options:\n')[1]!.split('\n\n')[0]!.split('\n');
      assert.ok(
        options.every((line) => /^ {2}--\S.* {2}\S/.test(line)),
        `${name}: one line per flag:\n${options.join('\n')}`,
      );
      // `capsule` lists its subcommands' usages; each subcommand's help has their flags.
      for (const used of name === 'capsule' ? [] : new Set(usage.match(/--[a-z][a-z-]*/g) ?? [])) {
        assert.ok(
          options.some((line) => line.trimStart().startsWith(used)),
          `${name}: ${used} has no line under Options`,
        );
      }
      assert.match(rest, new RegExp(`\nExamples?:\n {2}(\\S+=\\S+ )*qlp ${name.split(' ')[0]}`), `${name}: an example`);
      if (name !== 'capsule') assert.match(rest, /\nEnvironment:\n {2}[A-Z_]+ {2,}\S/, `${name}: the variables it reads`);
    }
    const generate = await runCli(['help', 'generate']);
    assert.match(generate.stdout, /^ {2}OPENAI_API_KEY +\S/m);
    assert.match(generate.stdout, /^ {2}QLP_SANDBOX_MODE +\S/m);
    assert.match(generate.stdout, /^ {2}--min-mutation-score <0\.\.1> +Share of deliberate bugs/m);
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

  it("shows a command's usage with --help", async () => {
    const run = await runCli(['doctor', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: qlp doctor \[--json\]/);
  });

  it('colours as Node does: on a terminal by default, off with NO_COLOR, off through a pipe unless FORCE_COLOR', async () => {
    const env = { PATH: `${pathWithBwrap()}:${process.env.PATH}`, DOCKER_HOST: engine.dockerHost, QLP_HOME: scratch(), GROQ_API_KEY: 'gsk-test' };
    const piped = await runCli(['doctor'], env);
    assert.ok(!piped.stdout.includes(escape), 'no colour through a pipe');
    const forced = await runCli(['doctor'], { ...env, FORCE_COLOR: '1' });
    assert.ok(forced.stdout.includes(`${escape}32m✔`), forced.stdout);
    const forcedOff = await runCli(['doctor'], { ...env, FORCE_COLOR: '0' });
    assert.ok(!forcedOff.stdout.includes(escape));
    const error = await runCli(['genrate'], { FORCE_COLOR: '1' });
    assert.ok(error.stderr.startsWith(`${escape}31mqlp:`), error.stderr);
    assert.ok((await runOnTerminal(['doctor'], env)).includes(`${escape}32m✔`), 'colour on a terminal');
    assert.ok(!(await runOnTerminal(['doctor'], { ...env, NO_COLOR: '1' })).includes(escape), 'NO_COLOR turns it off');
    assert.ok((await runOnTerminal(['help', 'doctor'], env)).includes(`${escape}1mOptions:`));
  });

  it('writes nothing to stderr on a clean run, with a cold code cache too', async () => {
    const home = scratch();
    const project = scratch();
    writeFileSync(join(project, 'index.js'), 'export const add = (a, b) => a + b;\n');
    // A certificate store: the secret scan reads it with a dynamic import, which once printed
    // Node's ExperimentalWarning for the code cache's vm loader.
    writeFileSync(join(project, 'client.p12'), Buffer.alloc(64, 7));
    const env = {
      PATH: `${pathWithBwrap()}:${process.env.PATH}`,
      DOCKER_HOST: engine.dockerHost,
      QLP_HOME: home,
      OPENAI_API_KEY: 'sk-test',
      XDG_CACHE_HOME: scratch(),
    };
    for (const args of [
      ['--version'],
      ['--help'],
      ['help', 'generate'],
      ['doctor', '--json'],
      ['capsule', 'create', project, '--json'],
      ['capsule', 'list'],
      ['validate', project, '--stages', 'syntax,security', '--json'],
    ]) {
      for (const cache of ['cold', 'warm']) {
        const run = await runCli(args, env, project);
        assert.equal(run.code, 0, `${args.join(' ')} (${cache}): ${run.stderr}`);
        assert.equal(run.stderr, '', `${args.join(' ')} (${cache} code cache) wrote to stderr`);
        if (args[0] === 'capsule' && args[1] === 'create') writeFileSync(join(project, 'client.p12'), Buffer.alloc(64, cache === 'cold' ? 8 : 9));
      }
    }
  });

  it('validate --json is --format json, and refuses another --format with it', async () => {
    const project = scratch();
    writeFileSync(join(project, 'index.js'), 'export const add = (a, b) => a + b;\n');
    const json = await runCli(['validate', project, '--stages', 'syntax', '--json']);
    const format = await runCli(['validate', project, '--stages', 'syntax', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const strip = (text: string) =>
      JSON.stringify({ ...JSON.parse(text), stages: JSON.parse(text).stages.map((st: { durationMs?: number }) => ({ ...st, durationMs: 0 })) });
    assert.equal(strip(json.stdout), strip(format.stdout));
    const both = await runCli(['validate', project, '--json', '--format', 'sarif']);
    assert.equal(both.code, 2);
    assertOneLineError(both.stderr, /^qlp: --json prints JSON; it cannot go with --format sarif\.$/);
  });

  it('doctor names the variables each provider needs, and exits 1 when no provider can generate', async () => {
    const env = { PATH: `${pathWithBwrap()}:${process.env.PATH}`, DOCKER_HOST: engine.dockerHost, QLP_HOME: scratch() };
    const text = await runCli(['doctor'], env);
    assert.equal(text.code, 1, text.stdout);
    for (const line of [
      /- openai: not configured; set OPENAI_API_KEY$/m,
      /- anthropic: not configured; set ANTHROPIC_API_KEY$/m,
      /- groq: not configured; set GROQ_API_KEY$/m,
      /- azure: not configured; set AZURE_OPENAI_API_KEY \+ AZURE_OPENAI_ENDPOINT$/m,
      /- local: not configured; set QLP_LOCAL_MODEL to a model of Ollama at http:\/\/127\.0\.0\.1:11434\/v1 \(else set QLP_LOCAL_BASE_URL\)$/m,
      /✘ Generation: no model provider is configured/,
    ])
      assert.match(text.stdout, line);
    const json = JSON.parse((await runCli(['doctor', '--json'], { ...env, AZURE_OPENAI_API_KEY: 'k' })).stdout);
    assert.equal(json.canGenerate, false);
    assert.equal(json.ok, true);
    assert.deepEqual(json.providers.find((p: { id: string }) => p.id === 'azure').needs, ['AZURE_OPENAI_ENDPOINT']);
    const local = await runCli(['doctor'], { ...env, QLP_LOCAL_MODEL: 'qwen2.5-coder:7b' });
    assert.equal(local.code, 0, local.stdout);
    assert.match(local.stdout, /✔ Generation: local/);
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
    assert.deepEqual(
      report.providers.find((p: { id: string }) => p.id === 'openai'),
      { id: 'openai', configured: true, source: 'OPENAI_API_KEY' },
    );
    assert.deepEqual(
      report.providers.find((p: { id: string }) => p.id === 'local'),
      { id: 'local', configured: true, source: 'QLP_LOCAL_MODEL', baseUrl: 'http://127.0.0.1:1234/v1' },
    );
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
