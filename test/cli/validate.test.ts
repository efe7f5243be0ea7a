// `qlp validate` as a process: the contract's JSON, SARIF, text, exit codes and bad input.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fakeDatabaseUrl, tsconfig, typescriptProject, writeProject } from '../support/projects';
import { repoRoot } from '../support/paths';
import { interrupt, runCli, startCli } from '../support/runCli';
import { sandboxEnv, testStorage } from '../support/sandboxes';

interface Report {
  diagnostics: Array<
    Record<string, unknown> & { file: string; line: number; column: number; severity: string; stage: string; code?: string; source: string; message: string }
  >;
  stages: Array<{ stage: string; status: string; durationMs: number; reason?: string }>;
  score: number;
  unscored: Array<{ stage: string; reason: string; nothingToCheck?: boolean }>;
}

function assertOneLineError(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.match(lines[0], pattern);
}

async function validateJson(dir: string, ...flags: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  return validateJsonIn({}, dir, ...flags);
}

async function validateJsonIn(env: NodeJS.ProcessEnv, dir: string, ...flags: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  const run = await runCli(['validate', dir, '--format', 'json', ...flags], env);
  assert.doesNotThrow(() => JSON.parse(run.stdout), `stdout is not one JSON document: ${run.stdout.slice(0, 300)} ${run.stderr}`);
  return { code: run.code, report: JSON.parse(run.stdout), stderr: run.stderr };
}

describe('qlp validate', () => {
  it('exits 2 with one line for a folder that does not exist, a file, or bad flags', async () => {
    const missing = await runCli(['validate', '/nonexistent/project']);
    assert.equal(missing.code, 2);
    assertOneLineError(missing.stderr, /^qlp: the folder '\/nonexistent\/project' does not exist/);
    const root = writeProject({ 'a.txt': 'x' });
    const file = await runCli(['validate', join(root, 'a.txt')]);
    assert.equal(file.code, 2);
    assertOneLineError(file.stderr, /is not a folder/);
    const stages = await runCli(['validate', root, '--stages', 'syntax,style']);
    assert.equal(stages.code, 2);
    assertOneLineError(stages.stderr, /--stages takes a comma-separated list of syntax, lint, types, security, tests; got 'style'/);
    const format = await runCli(['validate', root, '--format', 'xml']);
    assert.equal(format.code, 2);
    assertOneLineError(format.stderr, /--format must be one of text, json, sarif/);
    const none = await runCli(['validate']);
    assert.equal(none.code, 2);
    const flag = await runCli(['validate', root, '--fast']);
    assert.equal(flag.code, 2);
    assertOneLineError(flag.stderr, /unknown option '--fast' for 'validate'/);
  });

  it("prints the contract's JSON and exits 1 when a finding is an error", { timeout: 120_000 }, async () => {
    const root = typescriptProject();
    const { code, report } = await validateJson(root);
    assert.equal(code, 1);
    assert.deepEqual(
      report.stages.map((s) => s.stage),
      ['syntax', 'lint', 'types', 'security', 'tests'],
    );
    assert.equal(report.stages[4].status, 'skipped');
    assert.match(report.stages[4].reason ?? '', /^No tests found in .*: package\.json has no test script and there are no test files/);
    assert.equal(report.stages.find((s) => s.stage === 'types')?.status, 'failed');
    const typeError = report.diagnostics.find((d) => d.code === 'TS2345');
    assert.deepEqual(
      {
        file: typeError?.file,
        line: typeError?.line,
        column: typeError?.column,
        severity: typeError?.severity,
        stage: typeError?.stage,
        source: typeError?.source,
      },
      { file: 'src/app.ts', line: 3, column: 37, severity: 'error', stage: 'types', source: 'typescript' },
    );
    const secret = report.diagnostics.find((d) => d.source === 'secretlint');
    assert.equal(secret?.stage, 'security');
    assert.equal(secret?.line, 4);
    assert.ok(!JSON.stringify(report).includes('w5AypgItC9s5rqAPHqCFHcEW5A7gMR0k3kXy'), 'the secret itself is printed');
    for (const d of report.diagnostics) {
      assert.deepEqual(
        Object.keys(d).sort(),
        ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity', 'source', 'stage'].filter((k) => k !== 'code' || 'code' in d),
      );
      assert.ok(d.line >= 1 && d.column >= 1);
    }
    assert.ok(report.score >= 0 && report.score < 100);
    assert.deepEqual(
      report.unscored.map((u) => u.stage),
      ['tests'],
    );
    assert.match(report.unscored[0].reason, /^No tests found in /);
  });

  it('exits 0 on a clean project, runs only the stages asked for, and scores 100', { timeout: 120_000 }, async () => {
    const root = writeProject({
      'package.json': JSON.stringify({ name: 'clean', type: 'module' }),
      'tsconfig.json': tsconfig,
      'src/index.ts': 'export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n',
      'notes.md': '# Notes\n',
    });
    const { code, report } = await validateJson(root, '--stages', 'syntax,types');
    assert.equal(code, 0);
    assert.deepEqual(
      report.stages.map((s) => [s.stage, s.status]),
      [
        ['syntax', 'passed'],
        ['types', 'passed'],
      ],
    );
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.score, 100);
    assert.deepEqual(report.unscored, []);
  });

  it('says what a score of 100 does not cover: stages with nothing to check and tests that did not run', { timeout: 120_000 }, async () => {
    const root = writeProject({ 'package.json': JSON.stringify({ name: 'docs-only' }), 'README.md': '# Notes\n' });
    const { code, report } = await validateJson(root);
    assert.equal(code, 0);
    assert.equal(report.score, 100);
    assert.deepEqual(
      report.unscored.map((u) => [u.stage, u.nothingToCheck ?? false]),
      [
        ['lint', true],
        ['types', true],
        ['tests', false],
      ],
    );
    assert.match(report.unscored[2].reason, /^No tests found in /);
    const text = await runCli(['validate', root]);
    assert.equal(text.code, 0);
    assert.match(text.stdout.trimEnd(), /2 files: 0 errors, 0 warnings, 0 notes\. Score 100\/100 — lint, types and tests not checked\.$/);
  });

  it("loads the project's own ESLint config on every run, with a cold and a warm code cache", { timeout: 180_000 }, async () => {
    const root = writeProject({
      'package.json': JSON.stringify({ name: 'own-rules', type: 'module' }),
      // A rule QLP's defaults do not turn on, at a level they would not use.
      'eslint.config.js': "export default [{ rules: { 'no-console': 'error' } }];\n",
      'src/app.js': "console.log('hi');\n",
    });
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'qlp-cold-cache-')) };
    for (const run of ['cold', 'warm']) {
      const { code, report } = await validateJsonIn(env, root, '--stages', 'lint');
      assert.deepEqual(
        report.diagnostics.map((d) => `${d.file}:${d.code}:${d.severity}: ${d.message}`),
        ['src/app.js:no-console:error: Unexpected console statement.'],
        `${run} cache`,
      );
      assert.equal(code, 1, `${run} cache`);
    }
    assert.ok(
      readdirSync(join(env.XDG_CACHE_HOME, 'qlp', 'code')).some((f) => f.startsWith('validateTools-')),
      'the second run had a warm cache',
    );
  });

  it('exits 3 when a tool fails, after printing the report with the failure as an error', { timeout: 120_000 }, async () => {
    // A plugin rule that throws: ESLint cannot check the file.
    const root = writeProject({
      'eslint.config.mjs':
        "export default [{ plugins: { boom: { rules: { bang: { create() { throw new Error('the rule fell over'); } } } } }, rules: { 'boom/bang': 'error' } }];\n",
      'a.mjs': 'export const a = 1;\n',
    });
    const { code, report, stderr } = await validateJson(root, '--stages', 'syntax,lint');
    assert.equal(code, 3);
    assert.deepEqual(
      report.diagnostics.map((d) => [d.file, d.stage, d.severity, d.code, d.source]),
      [
        ['a.mjs', 'lint', 'error', 'tool-failed', 'eslint'],
        ['eslint.config.mjs', 'lint', 'error', 'tool-failed', 'eslint'],
      ],
    );
    assertOneLineError(stderr, /^qlp: validation is incomplete: ESLint failed, so lint was not checked in this file: .*the rule fell over/);
  });

  it('writes SARIF 2.1.0 and readable text', { timeout: 120_000 }, async () => {
    const root = writeProject({ 'config/db.yaml': `url: ${fakeDatabaseUrl}\n`, 'broken.json': '{ "a": 1,, }\n' });
    const sarif = await runCli(['validate', root, '--format', 'sarif', '--stages', 'syntax,security']);
    assert.equal(sarif.code, 1, sarif.stderr);
    const log = JSON.parse(sarif.stdout);
    assert.equal(log.version, '2.1.0');
    const results = log.runs.flatMap(
      (run: {
        tool: { driver: { name: string } };
        results: Array<{
          ruleId: string;
          level: string;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
        }>;
      }) =>
        run.results.map((r) => ({
          tool: run.tool.driver.name,
          rule: r.ruleId,
          level: r.level,
          uri: r.locations[0].physicalLocation.artifactLocation.uri,
          line: r.locations[0].physicalLocation.region.startLine,
        })),
    );
    assert.ok(
      results.some((r: { tool: string; uri: string; line: number }) => r.tool === 'json' && r.uri === 'broken.json' && r.line === 1),
      JSON.stringify(results),
    );
    assert.ok(
      results.some((r: { tool: string; rule: string; uri: string }) => r.tool === 'secretlint' && r.uri === 'config/db.yaml'),
      JSON.stringify(results),
    );
    const text = await runCli(['validate', root, '--stages', 'syntax']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^broken\.json\n {2}1:\d+ +error +.+json\(\w+\) \[syntax\]/m);
    assert.match(text.stdout, /✘ syntax +failed/);
    assert.match(text.stdout, /2 files: 1 error, 0 warnings, 0 notes\. Score \d+\/100\./);
  });

  it('turns bad input into findings: binary and large files, broken configs', { timeout: 120_000 }, async () => {
    const root = writeProject({
      'package.json': JSON.stringify({ name: 'odd', type: 'module' }),
      'image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]),
      'data/huge.json': `[${'1,'.repeat(600_000)}1]`,
      'tsconfig.json': '{ "compilerOptions": { "strict": true, }, "include": ["src"] ',
      'eslint.config.js': 'export default [ { rules: { "no-undef": "error" } } ;\n',
      'pyproject.toml': '[tool.ruff]\nline-length = = 80\n',
      'src/app.ts': 'export const x: number = 1;\n',
      'app.py': 'import os\n',
    });
    const { code, report } = await validateJson(root);
    assert.equal(code, 1);
    const about = (file: string) => report.diagnostics.filter((d) => d.file === file).map((d) => `${d.stage}:${d.severity}:${d.source}:${d.code}`);
    assert.deepEqual(about('image.png'), []);
    assert.deepEqual(about('data/huge.json'), ['syntax:info:qlp:file-too-large']);
    assert.ok(
      about('tsconfig.json').some((d) => d.startsWith('syntax:error:json')),
      about('tsconfig.json').join(),
    );
    assert.ok(about('eslint.config.js').includes('lint:warning:eslint:config'), about('eslint.config.js').join());
    assert.ok(about('pyproject.toml').includes('syntax:error:toml:invalid-toml'), JSON.stringify(report.diagnostics));
    assert.ok(about('pyproject.toml').includes('lint:warning:ruff:config'), about('pyproject.toml').join());
    assert.ok(about('app.py').includes('lint:warning:ruff:F401'), about('app.py').join());
    for (const stage of ['syntax', 'lint', 'types', 'security']) assert.notEqual(report.stages.find((s) => s.stage === stage)?.status, 'skipped', stage);
  });

  it("checks Python with Ruff and pyright, the project's own settings winning", { timeout: 120_000 }, async () => {
    const root = writeProject({
      'pyproject.toml': '[project]\nname = "demo"\nversion = "0.1.0"\n\n[tool.ruff.lint]\nselect = ["E501"]\n\n[tool.pyright]\ntypeCheckingMode = "strict"\n',
      'demo/__init__.py': '',
      'demo/core.py': `import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)  # ${'x'.repeat(80)}\n\n\ndef count(items: list[int]) -> int:\n    return len(items) + "1"\n`,
    });
    const { code, report } = await validateJson(root, '--stages', 'lint,types,security');
    assert.equal(code, 1);
    const codes = report.diagnostics.map((d) => `${d.stage}:${d.code}@${d.line}`);
    assert.ok(codes.includes('lint:E501@5'), codes.join());
    assert.ok(codes.includes('security:S602@5'), codes.join());
    assert.ok(codes.includes('types:reportOperatorIssue@9'), codes.join());
    // strict mode (the project's choice) reports the unannotated parameter; basic mode would not.
    assert.ok(codes.includes('types:reportMissingParameterType@4'), codes.join());
  });
  it('runs the tests stage in the sandbox: the failing test as a finding, counts and the receipt in the JSON', { timeout: 120_000 }, async (t) => {
    const env = await sandboxEnv('bwrap', t);
    if (!env) return;
    const root = join(repoRoot, 'test', 'fixtures', 'sandbox', 'node-fail');
    const run = await runCli(['validate', root, '--stages', 'syntax,tests', '--format', 'json', '--sandbox', 'bwrap', '--timeout', '60'], {
      QLP_HOME: testStorage(),
      QLP_SANDBOX_MEMORY_MB: '256',
    });
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report & {
      tests: unknown;
      testRun: { sandbox: string; command: string; receipt: { inputHash: string; status: string } };
    };
    assert.deepEqual(
      report.stages.map((s) => [s.stage, s.status]),
      [
        ['syntax', 'passed'],
        ['tests', 'failed'],
      ],
    );
    assert.deepEqual(
      report.diagnostics.map((d) => [d.file, d.line, d.stage, d.source, d.code]),
      [['test/temperature.test.js', 12, 'tests', 'node:test', 'test-failed']],
    );
    assert.deepEqual(report.tests, { passed: 2, failed: 1, skipped: 1 });
    assert.equal(report.testRun.sandbox, 'bwrap');
    assert.equal(report.testRun.receipt.status, 'failed');
    assert.match(report.testRun.receipt.inputHash, /^[0-9a-f]{64}$/);
    const text = await runCli(['validate', root, '--stages', 'tests', '--sandbox', 'bwrap'], { QLP_HOME: testStorage(), QLP_SANDBOX_MEMORY_MB: '256' });
    assert.match(text.stdout, /Tests \(bwrap: node --test --experimental-test-coverage\): 2 passed, 1 failed, 1 skipped; inputs sha256 [0-9a-f]{64}\./);
    const bad = await runCli(['validate', root, '--stages', 'tests', '--sandbox', 'vm']);
    assert.equal(bad.code, 2);
    assertOneLineError(bad.stderr, /--sandbox/);
  });
  it('stops on Ctrl+C while the tests run: exit 130, one line, nothing left running', { timeout: 120_000 }, async (t) => {
    const env = await sandboxEnv('bwrap', t);
    if (!env) return;
    const root = writeProject({
      'package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
      'slow.test.js': "require('node:test')('waits', () => new Promise((r) => setTimeout(r, 60000)));\n",
    });
    const { child, stderr } = startCli(['validate', root, '--stages', 'tests', '--sandbox', 'bwrap'], { QLP_HOME: testStorage() });
    await new Promise((r) => setTimeout(r, 4000));
    const { code, afterMs } = await interrupt(child);
    assert.ok(afterMs < 5000, `exited ${afterMs} ms after Ctrl+C`);
    assert.equal(code, 130);
    assertOneLineError(stderr(), /^qlp: validation was cancelled; nothing is left running\.$/);
    assert.deepEqual(
      readdirSync('/sys/fs/cgroup/pids/qlp-sandbox').filter((g) => g.startsWith(`run-${child.pid}-`)),
      [],
    );
  });
});
