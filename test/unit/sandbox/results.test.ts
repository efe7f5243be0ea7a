// Counts and coverage from runners' own summaries (the samples are these runners' real output).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestCounts } from '../../../protocol/sandbox';
import { decideStatus, parseCoverage, parseTestCounts } from '../../../language-server/src/sandbox/results';

/** Counts read from a summary: the three first numbers, and the breakdown when it differs from 0. */
const summary = (passed: number, failed: number, skipped: number, extra: Partial<TestCounts> = {}): TestCounts => ({
  passed,
  failed,
  skipped,
  collected: passed + failed + skipped + (extra.deselected ?? 0),
  errors: 0,
  xfailed: 0,
  xpassed: 0,
  deselected: 0,
  source: 'summary',
  ...extra,
});

const nodeTap = `TAP version 13
# Subtest: adds
ok 1 - adds
1..4
# tests 4
# suites 0
# pass 1
# fail 1
# cancelled 0
# skipped 1
# todo 1
# duration_ms 215.729342
# start of coverage report
# -----------------------------------------------------------------
# file             | line % | branch % | funcs % | uncovered lines
# -----------------------------------------------------------------
# lib.js           | 100.00 |    75.00 |  100.00 | 
# -----------------------------------------------------------------
# all files        | 97.37 |    87.50 |   83.33 |
# -----------------------------------------------------------------
# end of coverage report
`;

const nodeSpec = `✔ adds (0.9ms)
✖ subs (1.7ms)
ℹ tests 4
ℹ suites 0
ℹ pass 2
ℹ fail 1
ℹ cancelled 1
ℹ skipped 0
ℹ todo 0
ℹ duration_ms 356.20612
ℹ start of coverage report
ℹ all files        | 100.00 |    87.50 |   83.33 |
`;

describe('test counts', () => {
  it('reads node:test summaries in tap and spec form (cancelled counts as failed, todo as skipped)', () => {
    assert.deepEqual(parseTestCounts(nodeTap), summary(1, 1, 2));
    assert.deepEqual(parseTestCounts(nodeSpec), summary(2, 2, 0));
  });

  it('sums node:test summaries when a script runs the runner twice', () => {
    assert.deepEqual(parseTestCounts(`${nodeTap}\n${nodeTap}`), summary(2, 2, 4));
  });

  it('reads pytest summaries with and without the rule, errors as failures, xfail as skipped', () => {
    assert.deepEqual(parseTestCounts('.....F\n========================= 1 failed, 4 passed in 1.33s =========================='), summary(4, 1, 0));
    assert.deepEqual(parseTestCounts('..s\n2 passed, 1 skipped, 1 xfailed in 0.03s\n'), summary(2, 0, 2, { xfailed: 1 }));
    assert.deepEqual(parseTestCounts('E\n1 error in 0.10s\n'), summary(0, 1, 0, { errors: 1 }));
    assert.deepEqual(parseTestCounts('2 passed, 1 deselected, 1 xpassed in 0.02s\n'), summary(3, 0, 0, { xpassed: 1, deselected: 1 }));
    assert.deepEqual(parseTestCounts('\nno tests ran in 0.01s\n'), summary(0, 0, 0));
  });

  it('reads unittest results: OK, OK with skips, FAILED with failures and errors', () => {
    const line = '-'.repeat(70);
    assert.deepEqual(parseTestCounts(`.s.\n${line}\nRan 3 tests in 0.000s\n\nOK (skipped=1)\n`), summary(2, 0, 1));
    assert.deepEqual(parseTestCounts(`${line}\nRan 1 test in 0.000s\n\nOK\n`), summary(1, 0, 0));
    assert.deepEqual(parseTestCounts(`${line}\nRan 6 tests in 0.010s\n\nFAILED (failures=2, errors=1, skipped=1)\n`), summary(2, 3, 1, { errors: 1 }));
    assert.deepEqual(
      parseTestCounts(`${line}\nRan 3 tests in 0.000s\n\nFAILED (expected failures=1, unexpected successes=1)\n`),
      summary(2, 0, 1, { xfailed: 1, xpassed: 1 }),
    );
  });

  it('reads jest, vitest and mocha summaries, with colours stripped', () => {
    assert.deepEqual(parseTestCounts('Test Suites: 1 failed, 1 total\nTests:       1 failed, 2 skipped, 3 passed, 6 total\n'), summary(3, 1, 2));
    assert.deepEqual(
      parseTestCounts(
        ' Test Files  1 failed (1)\n      \u001b[2mTests\u001b[22m  \u001b[31m1 failed\u001b[39m | \u001b[32m3 passed\u001b[39m | 1 skipped (5)\n',
      ),
      summary(3, 1, 1),
    );
    assert.deepEqual(parseTestCounts('\n  3 passing (12ms)\n  2 pending\n  1 failing\n'), summary(3, 1, 2));
  });

  it('reports nothing when no runner summary is there', () => {
    assert.equal(parseTestCounts('hello\nworld\n'), null);
    assert.equal(parseTestCounts(''), null);
  });
});

describe('coverage', () => {
  it("reads Node's runner, c8 (summary and table) and coverage.py", () => {
    assert.deepEqual(parseCoverage(nodeTap, 'node'), { tool: 'node', linesPct: 97.37, branchesPct: 87.5, functionsPct: 83.33 });
    assert.deepEqual(parseCoverage(nodeSpec, 'node'), { tool: 'node', linesPct: 100, branchesPct: 87.5, functionsPct: 83.33 });
    const summary =
      '=============================== Coverage summary ===============================\nStatements   : 85.71% ( 6/7 )\nBranches     : 50% ( 1/2 )\nFunctions    : 100% ( 2/2 )\nLines        : 85.71% ( 6/7 )\n';
    assert.deepEqual(parseCoverage(summary, 'c8'), { tool: 'c8', linesPct: 85.71, branchesPct: 50, functionsPct: 100 });
    assert.deepEqual(parseCoverage('All files |   90.5 |    75 |   66.67 |   91.2 |\n', 'c8'), {
      tool: 'c8',
      linesPct: 91.2,
      branchesPct: 75,
      functionsPct: 66.67,
    });
    assert.deepEqual(parseCoverage('Name  Stmts  Miss  Cover\nTOTAL    37      3    92%\n', 'coverage.py'), { tool: 'coverage.py', linesPct: 92 });
    assert.deepEqual(parseCoverage('TOTAL   40   4   10   2   88.5%\n', 'coverage.py'), { tool: 'coverage.py', linesPct: 88.5 });
  });

  it('reports no coverage when the tool printed none or none was asked for', () => {
    assert.equal(parseCoverage('5 passed in 0.1s', 'coverage.py'), null);
    assert.equal(parseCoverage(nodeTap, null), null);
  });
});

describe('status', () => {
  const limits = { timeoutSeconds: 7, memoryMb: 128 };
  const ended = (exitCode: number | null, extra: Partial<{ timedOut: boolean; oomKilled: boolean; cancelled: boolean }> = {}) => ({
    exitCode,
    timedOut: false,
    oomKilled: false,
    cancelled: false,
    ...extra,
  });

  it('passes only on exit 0 with no failed test and at least one test run', () => {
    assert.deepEqual(decideStatus(ended(0), summary(3, 0, 1), limits), { status: 'passed' });
    assert.deepEqual(decideStatus(ended(0), null, limits), { status: 'passed' });
    assert.equal(decideStatus(ended(0), summary(3, 1, 0), limits).status, 'failed');
    assert.deepEqual(decideStatus(ended(0), summary(0, 0, 0), limits), { status: 'failed', error: 'No tests ran.' });
  });

  it('fails on a non-zero exit; a missing program is an error; limits say which limit', () => {
    assert.deepEqual(decideStatus(ended(1), summary(2, 1, 0), limits), { status: 'failed' });
    assert.equal(decideStatus(ended(127), null, limits).status, 'error');
    assert.deepEqual(decideStatus(ended(null, { timedOut: true }), null, limits), {
      status: 'timeout',
      error: 'The tests did not finish within 7 s and were stopped.',
    });
    assert.match(decideStatus(ended(137, { oomKilled: true }), null, limits).error ?? '', /out of memory \(128 MiB\)/);
    assert.deepEqual(decideStatus(ended(null, { cancelled: true }), null, limits), { status: 'error', error: 'The test run was cancelled.' });
  });
});
