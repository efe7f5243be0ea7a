// Stack profiles decide from the project's files how its dependencies install and its tests run.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { detectProject, projectFiles } from '../../../language-server/src/sandbox/detect';

function plan(files: Record<string, string>, options = { pythonCoverage: false }) {
  const dir = mkdtempSync(join(tmpdir(), 'qlp-detect-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return detectProject(
    projectFiles(
      dir,
      Object.keys(files).filter((p) => !p.startsWith('node_modules/')),
    ),
    options,
  );
}
const pkg = (value: unknown) => JSON.stringify(value);
const reporters = {
  NODE_OPTIONS: '--test-reporter=spec --test-reporter-destination=stdout --test-reporter=/qlp/qlp-node-reporter.mjs --test-reporter-destination=stderr',
};
const pytest = 'python3 -m pytest -q -p no:cacheprovider -p qlp_pytest_report --junitxml=/tmp/.qlp-report/pytest.xml -o junit_family=xunit1';

describe('Node.js projects', () => {
  it("runs a plain `node --test` script directly, with Node's coverage and QLP's reporter beside spec", () => {
    const p = plan({ 'package.json': pkg({ scripts: { test: 'node --test test/' } }), 'test/a.test.js': '' });
    assert.equal(p.stack, 'node');
    assert.deepEqual(p.test, {
      command: 'node --test --experimental-test-coverage test/',
      runner: { name: 'node:test', nodeArgs: [] },
      coverage: 'node',
      env: reporters,
    });
    assert.equal(p.install, null);
  });

  it('runs any other test script with npm test (plain jest and vitest with their reports); with c8 in the dependencies, under c8', () => {
    assert.equal(
      plan({ 'package.json': pkg({ scripts: { test: 'vitest run' } }) }).test.command,
      'npm test -- --reporter=default --reporter=junit --outputFile.junit=/tmp/.qlp-report/vitest.xml',
    );
    assert.equal(plan({ 'package.json': pkg({ scripts: { test: 'jest --ci' } }) }).test.command, 'npm test -- --json --outputFile=/tmp/.qlp-report/jest.json');
    assert.equal(plan({ 'package.json': pkg({ scripts: { test: 'jest && eslint .' } }) }).test.command, 'npm test');
    assert.equal(plan({ 'package.json': pkg({ scripts: { test: 'node --test && eslint .' } }) }).test.command, 'npm test');
    const c8 = plan({ 'package.json': pkg({ scripts: { test: 'mocha' }, devDependencies: { c8: '10.1.0', mocha: '11.0.0' } }) });
    assert.deepEqual(c8.test, {
      command: 'c8 --reporter=text-summary npm test',
      runner: { name: 'script', command: 'npm test' },
      coverage: 'c8',
      env: reporters,
    });
  });

  it("tells mutation testing how to run a few test files: node with the script's flags, jest, vitest, or only the whole script", () => {
    const runner = (test: string) => plan({ 'package.json': pkg({ scripts: { test } }) }).test.runner;
    assert.deepEqual(runner('node --import tsx --test test/*.test.ts'), { name: 'node:test', nodeArgs: ['--import', 'tsx'] });
    assert.deepEqual(runner('c8 node --test'), { name: 'node:test', nodeArgs: [] });
    assert.deepEqual(runner('jest --ci'), { name: 'jest', argv: ['node_modules/.bin/jest', '--ci'] });
    assert.deepEqual(runner('vitest run'), { name: 'vitest', argv: ['node_modules/.bin/vitest', 'run'] });
    assert.deepEqual(runner('node --test && eslint .'), { name: 'script', command: 'npm test' });
    assert.deepEqual(plan({ 'tests/test_a.py': 'import pytest\n' }).test.runner, { name: 'pytest' });
    assert.deepEqual(plan({ 'tests/test_a.py': 'import unittest\n' }).test.runner, { name: 'unittest', args: ['discover', '-v', '-s', 'tests'] });
  });

  it('runs the jest or vitest a project declares when it has no test script', () => {
    const vitest = plan({ 'package.json': pkg({ devDependencies: { vitest: '3.2.4' } }), 'src/sum.test.ts': '' });
    assert.equal(vitest.test.command, 'node_modules/.bin/vitest run --reporter=default --reporter=junit --outputFile.junit=/tmp/.qlp-report/vitest.xml');
    assert.deepEqual(vitest.test.runner, { name: 'vitest', argv: ['node_modules/.bin/vitest', 'run'] });
    const jest = plan({ 'package.json': pkg({ devDependencies: { jest: '29.7.0' } }), '__tests__/sum.js': '' });
    assert.equal(jest.test.command, 'node_modules/.bin/jest --ci --json --outputFile=/tmp/.qlp-report/jest.json');
  });

  it('falls back to node --test when there is no script but there are test files', () => {
    const p = plan({ 'package.json': pkg({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }), 'lib/x.test.mjs': '' });
    assert.equal(p.test.command, 'node --test --experimental-test-coverage');
  });

  it('installs with npm ci (lock file) or npm install, scripts disabled, keyed by the manifests', () => {
    const locked = plan({
      'package.json': pkg({ scripts: { test: 'node --test' }, dependencies: { leftpad: '1.0.0' } }),
      'package-lock.json': '{}',
      '.npmrc': '',
    });
    assert.equal(locked.install?.command, 'npm ci --ignore-scripts --no-audit --no-fund');
    assert.deepEqual(locked.install?.keyFiles, ['package.json', 'package-lock.json', '.npmrc']);
    assert.equal(locked.install?.target, '/project/node_modules');
    assert.equal(locked.install?.keyOnInputs, false);
    const local = plan({ 'package.json': pkg({ scripts: { test: 'node --test' }, dependencies: { lib: 'file:./vendor/lib' } }) });
    assert.equal(local.install?.command, 'npm install --ignore-scripts --no-audit --no-fund --no-save');
    assert.equal(local.install?.keyOnInputs, true);
  });

  it("mounts a project's own node_modules instead of installing", () => {
    const p = plan({ 'package.json': pkg({ scripts: { test: 'node --test' }, dependencies: { x: '1' } }), 'node_modules/x/index.js': '' });
    assert.match(p.install?.existing ?? '', /node_modules$/);
  });

  it('says clearly when there is nothing to run, or package.json is broken', () => {
    assert.throws(
      () => plan({ 'package.json': pkg({ name: 'x' }), 'index.js': '' }),
      /^Error: No tests found in .*: package\.json has no test script and there are no test files/,
    );
    assert.throws(() => plan({ 'package.json': '{ "scripts": ' }), /package\.json in .* is not valid JSON \(.*\); fix it to run the tests\./);
  });
});

describe('Python projects', () => {
  it('uses pytest when the project does, with coverage.py when the sandbox has it', () => {
    const p = plan({ 'test_a.py': 'import pytest\n', 'a.py': '' }, { pythonCoverage: true });
    assert.equal(p.stack, 'python');
    assert.equal(
      p.test.command,
      `python3 -m coverage run --source=. ${pytest.slice('python3 '.length)}; status=$?; python3 -m coverage report; (exit $status)`,
    );
    assert.equal(p.test.coverage, 'coverage.py');
    assert.equal(p.test.env.PYTHONPATH, '/project:/deps/python:/qlp');
    assert.equal(plan({ 'tests/test_a.py': '', 'conftest.py': '' }).test.command, pytest);
    assert.equal(plan({ 'tests/test_a.py': '', 'pyproject.toml': '[tool.pytest.ini_options]\n' }).test.command, pytest);
  });

  it('uses pytest for tests written for it, though nothing declares it: test functions at module level, plain test classes', () => {
    assert.equal(plan({ 'tests/test_a.py': 'from a import f\n\n\ndef test_f():\n    assert f() == 1\n', 'a.py': '' }).test.command, pytest);
    assert.equal(plan({ 'tests/test_a.py': 'class TestF:\n    def test_f(self):\n        assert True\n', 'a.py': '' }).test.command, pytest);
    assert.notEqual(
      plan({ 'tests/test_a.py': 'import unittest\n\n\nclass TestF(unittest.TestCase):\n    def test_f(self):\n        self.assertTrue(True)\n' }).test.command,
      pytest,
    );
  });

  it("uses unittest (through QLP's shim, which writes JUnit XML) otherwise, starting in a tests folder that is not a package", () => {
    assert.equal(plan({ 'tests/test_a.py': 'import unittest\n', 'a.py': '' }).test.command, 'python3 /qlp/qlp_unittest.py discover -v -s tests');
    assert.equal(plan({ 'tests/__init__.py': '', 'tests/test_a.py': '' }).test.command, 'python3 /qlp/qlp_unittest.py discover -v');
  });

  it('installs requirements files from wheels only, unless they are installed already', () => {
    const p = plan({ 'requirements.txt': 'requests==2.32.3\n', 'requirements-dev.txt': 'pytest\n', 'test_a.py': '' });
    assert.match(
      p.install?.command ?? '',
      /^python3 -c '.*' requirements-dev\.txt requirements\.txt \|\| python3 -m pip install --only-binary=:all: --no-compile --target \/deps\/python -r requirements-dev\.txt -r requirements\.txt$/,
    );
    assert.deepEqual(p.install?.keyFiles, ['requirements-dev.txt', 'requirements.txt']);
    assert.equal(p.install?.offlineFlag, '--no-index');
  });

  it('says clearly when there are no tests, or the folder is no known stack', () => {
    assert.throws(() => plan({ 'main.py': '' }), /No tests found in .*: no test_\*\.py or \*_test\.py files/);
    assert.throws(() => plan({ 'README.md': '' }), /neither a Node\.js project .* nor a Python project/);
  });
});
