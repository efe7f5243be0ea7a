// Mutation testing in both real sandboxes, on small Python (pytest) and Node.js (node:test)
// projects: good tests kill most mutants, tests that assert nothing kill none, a weakened
// assertion kills few, a mutant that loops forever is stopped and counted, a code file that does
// not parse is an error (not a crash), and the time budget leaves the rest not run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { MutationReport } from '../../../protocol/sandbox';
import { ProjectTestRunner } from '../../../language-server/src/sandbox/runTests';
import { writeTree } from '../../support/capsuleFixtures';
import { sandboxEnv, sandboxKinds, scratchDir, testSettings, testStorage } from '../../support/sandboxes';

const project = (files: Record<string, string>) => writeTree(join(scratchDir(), 'project'), files);

const pythonCode = `def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value


def total(prices, discount=0):
    subtotal = 0
    for price in prices:
        subtotal += price
    if discount and subtotal >= 100:
        return subtotal - discount
    return subtotal


def label(count):
    if count == 1:
        return "one item"
    return str(count) + " items"
`;

const pythonTests = {
  good: `from shop import clamp, label, total


def test_clamp():
    assert clamp(5, 0, 10) == 5
    assert clamp(-1, 0, 10) == 0
    assert clamp(11, 0, 10) == 10
    assert clamp(0, 0, 10) == 0
    assert clamp(10, 0, 10) == 10


def test_total():
    assert total([10, 20]) == 30
    assert total([60, 40], discount=15) == 85
    assert total([60, 39], discount=15) == 99
    assert total([]) == 0


def test_label():
    assert label(1) == "one item"
    assert label(3) == "3 items"
`,
  // Tests that check nothing about the code (calling it without asserting would still catch the
  // mutants that make it raise).
  empty: `import shop


def test_clamp():
    assert True


def test_total():
    assert shop


def test_label():
    pass
`,
  weak: `from shop import clamp, label, total


def test_clamp():
    assert clamp(5, 0, 10) is not None


def test_total():
    assert total([10, 20]) is not None


def test_label():
    assert isinstance(label(3), str)
`,
};

const nodeCode = `export function clamp(value, low, high) {
  if (value < low) return low;
  if (value > high) return high;
  return value;
}

export function total(prices, discount = 0) {
  let subtotal = 0;
  for (const price of prices) subtotal += price;
  if (discount && subtotal >= 100) return subtotal - discount;
  return subtotal;
}

export function label(count) {
  return count === 1 ? 'one item' : count + ' items';
}
`;

const nodeTests = {
  good: `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clamp, label, total } from '../src/shop.js';

test('clamp', () => {
  assert.equal(clamp(5, 0, 10), 5);
  assert.equal(clamp(-1, 0, 10), 0);
  assert.equal(clamp(11, 0, 10), 10);
  assert.equal(clamp(0, 0, 10), 0);
  assert.equal(clamp(10, 0, 10), 10);
});

test('total', () => {
  assert.equal(total([10, 20]), 30);
  assert.equal(total([60, 40], 15), 85);
  assert.equal(total([60, 39], 15), 99);
});

test('label', () => {
  assert.equal(label(1), 'one item');
  assert.equal(label(3), '3 items');
});
`,
  empty: `import { test } from 'node:test';
import { clamp, label, total } from '../src/shop.js';

test('clamp', () => { clamp(5, 0, 10); });
test('total', () => { total([10, 20], 5); });
test('label', () => { label(1); label(3); });
`,
};

const pythonProject = (tests: string, extra: Record<string, string> = {}) =>
  project({ 'shop.py': pythonCode, 'tests/test_shop.py': tests, 'conftest.py': '', ...extra });
const nodeProject = (tests: string, extra: Record<string, string> = {}) =>
  project({
    'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'node --test' } }),
    'src/shop.js': nodeCode,
    'test/shop.test.js': tests,
    ...extra,
  });

/** Every chosen mutant is accounted for once. */
function assertAccounted(r: MutationReport, badFiles = 0): void {
  assert.equal(r.killed + r.survived + r.timedOut + r.notRun + r.errors - badFiles, r.mutants, JSON.stringify(r));
}

for (const kind of sandboxKinds) {
  describe(`${kind} sandbox: mutation testing`, { timeout: 600_000 }, () => {
    const storageDir = testStorage();
    const runners: ProjectTestRunner[] = [];
    after(async () => {
      for (const r of runners) await r.close();
    });

    /** A passing run, then the mutation check, in one warm runner (as a generation does). */
    async function mutate(
      env: NodeJS.ProcessEnv,
      dir: string,
      codeFiles: string[],
      testFiles: string[],
      extra: { maxMutants?: number; timeBudgetMs?: number } = {},
    ): Promise<MutationReport> {
      const runner = new ProjectTestRunner({ settings: testSettings(kind, { memoryMb: 512 }), storageDir, env, reuse: true });
      runners.push(runner);
      const run = await runner.run(dir);
      assert.equal(run.status, 'passed', `${run.error ?? ''}\n${run.stdout}\n${run.stderr}`);
      const progress: number[] = [];
      const report = await runner.mutate(dir, { codeFiles, testFiles, ...extra, onProgress: (p) => progress.push(p.done) });
      assert.ok(progress.length > 0, 'no progress was reported');
      return report;
    }

    it('python: good tests kill most mutants; tests that assert nothing kill none; a weakened assertion kills few', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const good = await mutate(env, pythonProject(pythonTests.good), ['shop.py'], ['tests/test_shop.py']);
      assert.ok(good.mutants >= 20 && good.mutants <= 30, `${good.mutants} mutants`);
      assertAccounted(good);
      assert.ok(good.score >= 0.6, `score ${good.score}: ${JSON.stringify(good.survivors)}`);
      assert.equal(good.tool, 'qlp-mutate (python ast; pytest)');
      for (const s of good.survivors) assert.ok(s.file === 'shop.py' && s.line > 0 && s.original !== s.mutated, JSON.stringify(s));

      const empty = await mutate(env, pythonProject(pythonTests.empty), ['shop.py'], ['tests/test_shop.py']);
      assert.equal(empty.score, 0, JSON.stringify(empty));
      assert.equal(empty.killed + empty.timedOut, 0);
      assert.equal(empty.survivors.length, empty.survived);
      assert.ok(empty.survived > 20);

      const weak = await mutate(env, pythonProject(pythonTests.weak), ['shop.py'], ['tests/test_shop.py']);
      assert.ok(weak.score <= 0.3 && weak.score < good.score, `weak score ${weak.score}`);
    });

    it('node: good tests kill most mutants; tests that assert nothing kill none', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const good = await mutate(env, nodeProject(nodeTests.good), ['src/shop.js'], ['test/shop.test.js']);
      assertAccounted(good);
      assert.ok(good.mutants >= 20, `${good.mutants} mutants`);
      assert.ok(good.score >= 0.6, `score ${good.score}: ${JSON.stringify(good.survivors)}`);
      assert.equal(good.tool, 'qlp-mutate (typescript; node:test)');
      const empty = await mutate(env, nodeProject(nodeTests.empty), ['src/shop.js'], ['test/shop.test.js']);
      assert.equal(empty.score, 0, JSON.stringify(empty));
      assert.equal(empty.survived, empty.mutants);
    });

    it('stops a mutant that loops forever and counts it as timed out', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const python = project({
        'steps.py': 'def count_up(n):\n    i = 0\n    while i < n:\n        i = i + 1\n    return i\n',
        'test_steps.py': 'from steps import count_up\n\n\ndef test_counts():\n    assert count_up(3) == 3\n',
        'conftest.py': '',
      });
      const node = project({
        'package.json': JSON.stringify({ name: 'steps', scripts: { test: 'node --test' } }),
        'steps.js': 'exports.countUp = (n) => {\n  let i = 0;\n  while (i < n) i = i + 1;\n  return i;\n};\n',
        'steps.test.js':
          "const test = require('node:test');\nconst assert = require('node:assert');\nconst { countUp } = require('./steps.js');\ntest('counts', () => assert.equal(countUp(3), 3));\n",
      });
      for (const [dir, code, tests] of [
        [python, 'steps.py', 'test_steps.py'],
        [node, 'steps.js', 'steps.test.js'],
      ] as const) {
        const started = Date.now();
        const report = await mutate(env, dir, [code], [tests], { maxMutants: 100 });
        assertAccounted(report);
        assert.ok(report.timedOut >= 1, `${code}: ${JSON.stringify(report)}`);
        assert.equal(report.notRun, 0);
        assert.ok(Date.now() - started < 50_000, `took ${Date.now() - started} ms`);
      }
    });

    it('a code file that does not parse is an error, and the other files are still mutated', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const python = await mutate(
        env,
        pythonProject(pythonTests.good, { 'broken.py': 'def half(x:\n    return x / 2\n' }),
        ['shop.py', 'broken.py'],
        ['tests/test_shop.py'],
      );
      assert.equal(python.errors, 1);
      assert.match(python.problems.join('\n'), /^broken\.py does not parse \(line \d+: .+\); it was not mutated\.$/m);
      assert.ok(python.killed > 0 && python.mutants > 0);
      assertAccounted(python, 1);
      const node = await mutate(
        env,
        nodeProject(nodeTests.good, { 'src/broken.js': 'export function half(x {\n  return x / 2;\n}\n' }),
        ['src/shop.js', 'src/broken.js'],
        ['test/shop.test.js'],
      );
      assert.equal(node.errors, 1);
      assert.match(node.problems.join('\n'), /^src\/broken\.js does not parse \(line 1: .+\); it was not mutated\.$/m);
      assert.ok(node.killed > 0);
      const nothing = await mutate(
        env,
        nodeProject(nodeTests.good, { 'src/broken.js': 'export function half(x {\n' }),
        ['src/broken.js'],
        ['test/shop.test.js'],
      );
      assert.equal(nothing.mutants, 0);
      assert.equal(nothing.score, 0);
      assert.match(nothing.error ?? '', /^No mutant could be made of src\/broken\.js\.$/);
    });

    it('stops at the time budget: the mutants left are not run', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      // Each mutant takes at least 0.2 s here (the slow test runs first, before any test can fail and
      // stop the run); the driver gets at least 1 s, so some of the mutants are left.
      const slow = `import time\n\n\ndef test_0_slow():\n    time.sleep(0.2)\n\n\n${pythonTests.good}`;
      const report = await mutate(env, pythonProject(slow), ['shop.py'], ['tests/test_shop.py'], { timeBudgetMs: 1 });
      assertAccounted(report);
      assert.ok(report.notRun > 0, JSON.stringify(report));
      assert.ok(report.killed + report.survived + report.timedOut < report.mutants);
    });
  });
}
