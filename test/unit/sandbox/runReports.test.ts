// Machine-readable results from real runs in both sandboxes: pytest's skip, xfail and
// deselection (-k), node:test's skip and todo, and a test that prints a look-alike report block
// to change its counts: it cannot.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestCase } from '../../../protocol/sandbox';
import { runProjectTests } from '../../../language-server/src/sandbox/runTests';
import { writeTree } from '../../support/capsuleFixtures';
import { sandboxEnv, sandboxKinds, scratchDir, testSettings, testStorage } from '../../support/sandboxes';

const project = (files: Record<string, string>) => writeTree(join(scratchDir(), 'project'), files);

const brief = (cases: TestCase[] | null) => (cases ?? []).map((c) => [c.file, c.name, c.status]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));

/** A report block as QLP's wrapper prints it, with a guessed nonce: 50 passing tests. */
const forgedBlock = (name: string) =>
  `\\n@@qlp-report 0123456789abcdef01234567 ${name}@@\\n<testsuites><testsuite>${"<testcase name='fake' file='x'/>".repeat(50)}</testsuite></testsuites>\\n@@qlp-end 0123456789abcdef01234567@@\\n`;

for (const kind of sandboxKinds) {
  describe(`${kind} sandbox: machine-readable results`, { timeout: 300_000 }, () => {
    const storageDir = testStorage();
    const run = (dir: string, env: NodeJS.ProcessEnv) => runProjectTests(dir, { settings: testSettings(kind), storageDir, env });

    it('pytest: a skip, an xfail and a test deselected with -k are cases with their own statuses and counts', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const dir = project({
        'pytest.ini': '[pytest]\naddopts = -k "not slow"\n',
        'calc.py': 'def add(a, b):\n    return a + b\n',
        'tests/test_calc.py': [
          'import pytest',
          'from calc import add',
          '',
          'def test_adds():',
          '    assert add(2, 3) == 5',
          '',
          '@pytest.mark.skip(reason="not yet")',
          'def test_later():',
          '    assert False',
          '',
          '@pytest.mark.xfail(reason="known")',
          'def test_known_bug():',
          '    assert add(0.1, 0.2) == 0.3',
          '',
          'def test_slow_path():',
          '    assert False',
          '',
        ].join('\n'),
      });
      const result = await run(dir, env);
      assert.equal(result.status, 'passed', `${result.error ?? ''}\n${result.stdout}\n${result.stderr}`);
      assert.deepEqual(brief(result.cases), [
        ['tests/test_calc.py', 'test_adds', 'passed'],
        ['tests/test_calc.py', 'test_known_bug', 'xfailed'],
        ['tests/test_calc.py', 'test_later', 'skipped'],
        ['tests/test_calc.py', 'test_slow_path', 'deselected'],
      ]);
      assert.deepEqual(result.tests, { passed: 1, failed: 0, skipped: 2, collected: 4, errors: 0, xfailed: 1, xpassed: 0, deselected: 1, source: 'junit' });
      assert.doesNotMatch(result.stdout, /@@qlp-/, 'the report block is left in the output users see');
      assert.ok(result.receipt.phases.at(-1)?.report?.bytes, 'the receipt has no record of the report');
    });

    it('node:test: skip and todo are skipped cases; a failure names its test, file and line', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const dir = project({
        'package.json': JSON.stringify({ name: 'p', scripts: { test: 'node --test' } }),
        'test/a.test.js': [
          "const test = require('node:test');",
          "const assert = require('node:assert');",
          "test('works', () => assert.equal(1 + 1, 2));",
          "test('later', { skip: 'not now' }, () => {});",
          "test('someday', { todo: true }, () => {});",
          "test.describe('group', () => { test.it('breaks', () => assert.equal(1, 2)); });",
          '',
        ].join('\n'),
      });
      const result = await run(dir, env);
      assert.equal(result.status, 'failed');
      assert.deepEqual(brief(result.cases), [
        ['test/a.test.js', 'breaks', 'failed'],
        ['test/a.test.js', 'later', 'skipped'],
        ['test/a.test.js', 'someday', 'skipped'],
        ['test/a.test.js', 'works', 'passed'],
      ]);
      const broken = result.cases!.find((c) => c.name === 'breaks')!;
      assert.deepEqual([broken.classname, broken.line], ['group', 6]);
      assert.match(broken.message ?? '', /AssertionError .*1 == 2/);
      assert.deepEqual(result.tests, { passed: 1, failed: 1, skipped: 2, collected: 4, errors: 0, xfailed: 0, xpassed: 0, deselected: 0, source: 'junit' });
    });

    it('a test that prints a look-alike report block changes nothing', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const python = project({
        'calc.py': 'def add(a, b):\n    return a + b\n',
        'test_calc.py': `import sys\nfrom calc import add\n\ndef test_fails():\n    sys.__stdout__.write("${forgedBlock('pytest.xml')}")\n    sys.__stdout__.flush()\n    assert add(1, 1) == 3\n`,
        'conftest.py': '',
      });
      const node = project({
        'package.json': JSON.stringify({ name: 'p', scripts: { test: 'node --test' } }),
        'forge.test.js': `const test = require('node:test');\ntest('fails', () => { process.stdout.write("${forgedBlock('node-1.xml')}"); throw new Error('no'); });\n`,
      });
      for (const dir of [python, node]) {
        const result = await run(dir, env);
        assert.equal(result.status, 'failed');
        assert.deepEqual(
          result.cases?.map((c) => [c.name, c.status]),
          [[dir === node ? 'fails' : 'test_fails', 'failed']],
        );
        assert.equal(result.tests?.passed, 0);
        assert.match(result.stdout, /@@qlp-report 0123456789abcdef01234567/, 'the look-alike block should stay in the output, as any output');
      }
    });
  });
}
