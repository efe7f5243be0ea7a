// The tool adapters on real inputs: each tool runs for real, in process.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SourceFile } from '../../../language-server/src/validate/model';
import { languageOf } from '../../../language-server/src/workspace/languages';
import { findSecretsIn } from '../../../language-server/src/secrets/secretlint';
import { dockerfileFindings } from '../../../language-server/src/validate/tools/dockerfile';
import { EslintRunner } from '../../../language-server/src/validate/tools/eslint';
import { jsonSyntaxFindings } from '../../../language-server/src/validate/tools/json';
import { RuffRunner } from '../../../language-server/src/validate/tools/ruff';
import { tomlSyntaxFindings } from '../../../language-server/src/validate/tools/toml';
import { TypeScriptChecker } from '../../../language-server/src/validate/tools/typescript';
import { yamlSyntaxFindings } from '../../../language-server/src/validate/tools/yaml';
import { fakeDatabaseUrl, fakeGithubToken, tsconfig, writeProject } from '../../support/projects';

const noPause = async () => undefined;

function source(root: string, path: string): SourceFile {
  return { path, absPath: join(root, path), text: readFileSync(join(root, path), 'utf8'), language: languageOf(path).validator };
}

const brief = (findings: Array<{ line: number; code?: string; severity: string }>) => findings.map((f) => `${f.line}:${f.code}:${f.severity}`);

describe('TypeScript adapter', () => {
  it('reports parse errors where tsc does, for TS and for JS grammar', () => {
    const checker = new TypeScriptChecker();
    const ts = checker.syntax('/p', '/p/a.ts', 'if (ready {\n  go();\n}\n');
    assert.deepEqual(brief(ts), ['1:TS1005:error']);
    assert.match(ts[0].message, /'\)' expected/);
    const js = checker.syntax('/p', '/p/b.js', 'export function f(x: number) { return x; }\n');
    assert.deepEqual(brief(js), ['1:TS8010:error']);
  });

  it("type-checks with the project's tsconfig and re-checks an edit incrementally", async () => {
    const root = writeProject({
      'tsconfig.json': tsconfig,
      'src/a.ts': 'export const n: number = 1;\n',
      'src/b.ts': "import { n } from './a.js';\nexport const s: string = n;\n",
    });
    const checker = new TypeScriptChecker();
    const first = await checker.check(root, [join(root, 'src/b.ts')], new Map(), noPause);
    assert.deepEqual(brief(first), ['2:TS2322:error']);
    const overlay = new Map([[join(root, 'src/a.ts'), "export const n: string = 'one';\n"]]);
    const started = performance.now();
    const second = await checker.check(root, [join(root, 'src/b.ts')], overlay, noPause);
    const warmMs = performance.now() - started;
    assert.deepEqual(second, []);
    assert.ok(warmMs < 2000, `a warm re-check took ${warmMs.toFixed(0)} ms`);
  });

  it('reports a broken tsconfig.json as a finding and checks with defaults', async () => {
    const root = writeProject({ 'tsconfig.json': '{ "compilerOptions": { "target": "ES9000" } }', 'x.ts': 'export const a: number = "b";\n' });
    const findings = await new TypeScriptChecker().check(root, [join(root, 'x.ts')], new Map(), noPause);
    assert.ok(
      findings.some((f) => f.file === 'tsconfig.json' && f.severity === 'error'),
      JSON.stringify(findings),
    );
    assert.ok(findings.some((f) => f.file === 'x.ts' && f.code === 'TS2322'));
  });

  it("makes a missing package a warning while the project's dependencies are not installed", async () => {
    const root = writeProject({
      'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
      'tsconfig.json': tsconfig,
      'src/app.ts': "import express from 'express';\nimport { x } from './missing.js';\nexport const app = express(x);\n",
    });
    const findings = await new TypeScriptChecker().check(root, [join(root, 'src/app.ts')], new Map(), noPause);
    assert.deepEqual(brief(findings), ['1:TS2307:warning', '2:TS2307:error']);
    assert.match(findings[0].message, /dependencies are not installed/);
  });
});

describe('ESLint adapter', () => {
  it('lints with @eslint/js and typescript-eslint recommended by default, leaving CommonJS require alone', async () => {
    const root = writeProject({
      'a.js': "const fs = require('fs');\nmodule.exports = () => missing + fs.sep;\n",
      'b.ts': 'let unused = 1;\nexport const y: any = 2;\n',
    });
    const { findings } = await new EslintRunner().run(
      root,
      [source(root, 'a.js'), source(root, 'b.ts')],
      { lint: true, security: false, projectConfig: true },
      noPause,
    );
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line}:${f.code}:${f.stage}`),
      ['a.js:2:no-undef:lint', 'b.ts:1:prefer-const:lint', 'b.ts:1:@typescript-eslint/no-unused-vars:lint', 'b.ts:2:@typescript-eslint/no-explicit-any:lint'],
    );
    // Style and suggestion rules are warnings; rules that find problems stay errors.
    assert.deepEqual(
      findings.map((f) => f.severity),
      ['error', 'warning', 'error', 'warning'],
    );
    const fix = findings.find((f) => f.code === 'prefer-const')?.fix;
    assert.deepEqual(
      fix?.edits.map((e) => [e.line, e.column, e.newText]),
      [[1, 1, 'const unused = 1;']],
    );
  });

  it("uses the project's own flat config, and reports one that cannot load", async () => {
    const root = writeProject({
      'eslint.config.mjs': "export default [{ rules: { 'no-console': 'error' } }];\n",
      'a.mjs': "console.log('hi');\nundefinedThing();\n",
    });
    const runner = new EslintRunner();
    const { findings } = await runner.run(root, [source(root, 'a.mjs')], { lint: true, security: false, projectConfig: true }, noPause);
    assert.deepEqual(brief(findings), ['1:no-console:error']);
    writeFileSync(join(root, 'eslint.config.mjs'), 'export default [ {;\n');
    const broken = await runner.run(root, [source(root, 'a.mjs')], { lint: true, security: false, projectConfig: true }, noPause);
    assert.deepEqual(
      broken.configFindings.map((f) => [f.file, f.severity, f.code]),
      [['eslint.config.mjs', 'warning', 'config']],
    );
    assert.ok(
      broken.findings.some((f) => f.code === 'no-undef'),
      'falls back to the default rules',
    );
  });

  it("imports a project's config through the import it is handed (code run from the code cache has none of its own)", async () => {
    const root = writeProject({ 'eslint.config.mjs': "export default [{ rules: { 'no-console': 'error' } }];\n", 'a.mjs': "console.log('hi');\n" });
    const imported: string[] = [];
    const runner = new EslintRunner(async (url) => {
      imported.push(url);
      return import(url);
    });
    const { findings } = await runner.run(root, [source(root, 'a.mjs')], { lint: true, security: false, projectConfig: true }, noPause);
    assert.deepEqual(brief(findings), ['1:no-console:error']);
    assert.equal(imported.length, 1);
    assert.match(imported[0], /^file:.*\/eslint\.config\.mjs\?mtime=/);
  });

  it('makes a rule that throws on a file an error on that file: the file was not checked', async () => {
    const root = writeProject({
      'eslint.config.mjs':
        "export default [{ plugins: { boom: { rules: { bang: { create() { throw new Error('the rule fell over'); } } } } }, rules: { 'boom/bang': 'error' } }];\n",
      'a.mjs': 'export const a = 1;\n',
    });
    const { findings } = await new EslintRunner().run(root, [source(root, 'a.mjs')], { lint: true, security: false, projectConfig: true }, noPause);
    assert.deepEqual(
      findings.map((f) => [f.file, f.stage, f.severity, f.code]),
      [['a.mjs', 'lint', 'error', 'tool-failed']],
    );
    assert.match(findings[0].message, /^ESLint failed, so lint was not checked in this file: .*the rule fell over/);
  });

  it('runs eslint-plugin-security and SDL rules as the security stage', async () => {
    const root = writeProject({
      'srv.js': "const { exec } = require('child_process');\nexports.run = (name) => { exec('ls ' + name); return eval('1 + ' + name); };\n",
    });
    const { findings } = await new EslintRunner().run(root, [source(root, 'srv.js')], { lint: false, security: true, projectConfig: true }, noPause);
    const codes = findings.map((f) => `${f.stage}:${f.code}`);
    assert.ok(codes.includes('security:security/detect-child-process'), codes.join());
    assert.ok(codes.includes('security:no-eval'), codes.join());
    assert.ok(
      codes.every((c) => c.startsWith('security:')),
      codes.join(),
    );
  });
});

describe('Ruff adapter', () => {
  const python = 'import os\nimport pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n';

  it("reports Ruff's default rules as lint and the S rules as security, with fixes", async () => {
    const root = writeProject({ 'm.py': python });
    const { findings } = await new RuffRunner().run(root, [source(root, 'm.py')], { lint: true, security: true }, noPause);
    assert.deepEqual(findings.map((f) => `${f.line}:${f.code}:${f.stage}:${f.severity}`).sort(), ['1:F401:lint:warning', '6:S301:security:warning']);
    assert.equal(findings.find((f) => f.code === 'F401')?.fix?.title, 'Remove unused import: `os`');
  });

  it('lets a ruff.toml choose the rules, and keeps syntax errors as errors', async () => {
    const root = writeProject({ 'ruff.toml': 'line-length = 20\n\n[lint]\nselect = ["E501"]\n', 'm.py': python, 'bad.py': 'def f(:\n    pass\n' });
    const runner = new RuffRunner();
    const { findings, configFindings } = await runner.run(root, [source(root, 'm.py'), source(root, 'bad.py')], { lint: true, security: false }, noPause);
    assert.deepEqual(configFindings, []);
    assert.deepEqual(
      [...new Set(findings.map((f) => `${f.file}:${f.line}:${f.code}:${f.stage}:${f.severity}`))],
      ['m.py:6:E501:lint:warning', 'bad.py:1:invalid-syntax:syntax:error'],
    );
  });

  it('reports unusable settings on the config file and uses the defaults', async () => {
    const root = writeProject({ 'ruff.toml': '[lint]\nselect = 7\n', 'm.py': 'x == None\n' });
    const result = await new RuffRunner().run(root, [source(root, 'm.py')], { lint: true, security: false }, noPause);
    assert.deepEqual(
      result.configFindings.map((f) => [f.file, f.code]),
      [['ruff.toml', 'config']],
    );
    assert.deepEqual(brief(result.findings), ['1:E711:warning', '1:F821:error']);
  });
});

describe('secretlint adapter', () => {
  it('finds a token in any text file and says what it is in plain words, never the value', async () => {
    const found = await findSecretsIn([
      { path: '.env', text: `PORT=1\nGITHUB_TOKEN=${fakeGithubToken}\n` },
      { path: 'README.md', text: 'nothing here\n' },
    ]);
    assert.deepEqual(
      found.map((f) => [f.path, f.line, f.ruleId, f.severity]),
      [['.env', 2, '@secretlint/secretlint-rule-github', 'error']],
    );
    assert.equal(found[0].message, 'Hard-coded GitHub token (secretlint: @secretlint/secretlint-rule-github)');
    const url = await findSecretsIn([{ path: 'db.ts', text: `export const url = '${fakeDatabaseUrl}';\n` }]);
    assert.deepEqual(
      url.map((f) => f.message),
      ['Hard-coded PostgreSQL password (secretlint: @secretlint/secretlint-rule-database-connection-string)'],
    );
  });
});

describe('data and container file parsers', () => {
  const file = (path: string, text: string): SourceFile => ({ path, absPath: `/p/${path}`, text, language: languageOf(path).validator });

  it('JSON: strict in package.json, comments and trailing commas allowed in tsconfig.json', () => {
    assert.deepEqual(brief(jsonSyntaxFindings(file('package.json', '{\n  // no\n  "a": 1,\n}\n'))), [
      '2:InvalidCommentToken:error',
      '4:PropertyNameExpected:error',
    ]);
    assert.deepEqual(jsonSyntaxFindings(file('tsconfig.json', '{\n  // yes\n  "a": 1,\n}\n')), []);
  });

  it('YAML, TOML and Dockerfile errors land on their lines', () => {
    assert.deepEqual(
      brief(yamlSyntaxFindings(file('a.yaml', 'a: 1\nb: [1, 2\nc: 3\n'))).map((s) => s.split(':')[0]),
      ['3'],
    );
    assert.deepEqual(brief(tomlSyntaxFindings(file('a.toml', 'a = 1\nb = \n'))), ['2:invalid-toml:error']);
    const docker = dockerfileFindings(file('Dockerfile', 'FROM node:20\nRUNN npm ci\n'));
    assert.ok(
      docker.some((f) => f.line === 2 && f.severity === 'error'),
      JSON.stringify(docker),
    );
  });
});
