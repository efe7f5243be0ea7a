// Failing tests and their locations from runners' output. node:test, pytest, unittest and mocha
// samples are these runners' real output (inside the sandbox, with its working folder's paths, /project);
// jest and vitest samples follow their default reporters' layout (neither is installed here).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFailingTests, type FailureProject } from '../../../language-server/src/sandbox/failures';

function project(files: Record<string, string>): FailureProject {
  return { has: (p) => p in files, read: (p) => files[p] };
}

const nodeTap = `TAP version 13
# Subtest: rejects page 0
ok 3 - rejects page 0
  ---
  duration_ms: 0.607355
  ...
# Subtest: pager window is centred on the current page
not ok 4 - pager window is centred on the current page
  ---
  duration_ms: 3.235337
  location: '/project/test/paginate.test.js:22:1'
  failureType: 'testCodeFailure'
  error: |-
    Expected values to be strictly deep-equal:
    + actual - expected
  code: 'ERR_ASSERTION'
  stack: |-
    TestContext.<anonymous> (file:///project/test/paginate.test.js:23:10)
    Test.runInAsyncScope (node:async_hooks:206:9)
  ...
# Subtest: pages
    # Subtest: rounds up
    not ok 1 - rounds up
      ---
      duration_ms: 0.5
      location: '/project/test/paginate.test.js:30:3'
      failureType: 'testCodeFailure'
      error: 'expected 3, got 2'
      code: 'ERR_TEST_FAILURE'
      ...
    1..1
not ok 5 - pages
  ---
  duration_ms: 1.2
  location: '/project/test/paginate.test.js:29:1'
  failureType: 'subtestsFailed'
  error: '1 subtest failed'
  ...
not ok 6 - later # TODO
1..6
# tests 6
# fail 2
`;

const nodeSpec = `✔ freezing and boiling in Fahrenheit (1.62389ms)
✖ Fahrenheit back to Celsius (1.465589ms)
  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
ℹ tests 4
ℹ fail 1

✖ failing tests:

test at test/temperature.test.js:12:1
✖ Fahrenheit back to Celsius (1.465589ms)
  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
  
  85.8 !== 100
`;

const pytest = `...F                                                                     [100%]
=================================== FAILURES ===================================
_________________ test_single_installment_is_due_on_first_date _________________

    def test_single_installment_is_due_on_first_date():
>       assert installment_plan(5_000, 1, date(2024, 4, 1)) == [(date(2024, 4, 1), 5_000)]
E       assert [(datetime.da... 5, 1), 5000)] == [(datetime.da... 4, 1), 5000)]

tests/test_invoice.py:34: AssertionError
=========================== short test summary info ============================
FAILED tests/test_invoice.py::test_single_installment_is_due_on_first_date - assert [(datetime.da... 5, 1), 5000)] == [(datetime.da... 4, 1), 5000)]
FAILED tests/test_invoice.py::TestTotals::test_rounding[2] - assert 3 == 2
1 failed, 3 passed in 0.03s
`;

const invoiceTests = [
  'from invoicing import installment_plan',
  '',
  'def test_single_installment_is_due_on_first_date():',
  '    assert installment_plan(5_000, 1, date(2024, 4, 1)) == []',
  '',
  'def test_rounding():',
  '    pass',
  '',
  'class TestTotals:',
  '    @pytest.mark.parametrize("n", [1, 2])',
  '    def test_rounding(self, n):',
  '        assert n == 2',
  '',
].join('\n');

const unittest = `test_bad (test_a.SlugTest.test_bad) ... FAIL
test_err (test_a.SlugTest.test_err) ... ERROR

======================================================================
ERROR: test_err (test_a.SlugTest.test_err)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/project/tests/test_a.py", line 12, in test_err
    raise ValueError("boom")
ValueError: boom

======================================================================
FAIL: test_bad (test_a.SlugTest.test_bad)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/project/tests/test_a.py", line 9, in test_bad
    self.assertEqual(1, 2)
AssertionError: 1 != 2

----------------------------------------------------------------------
Ran 3 tests in 0.001s

FAILED (failures=1, errors=1)
`;

const unittestFile = [
  'import unittest',
  '',
  '',
  'class SlugTest(unittest.TestCase):',
  '    def test_ok(self):',
  '        self.assertEqual(1, 1)',
  '',
  '    def test_bad(self):',
  '        self.assertEqual(1, 2)',
  '',
  '    def test_err(self):',
  '        raise ValueError("boom")',
  '',
].join('\n');

const mocha = `

  cart
    ✔ adds items
    1) totals prices


  1 passing (27ms)
  1 failing

  1) cart
       totals prices:

      AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
+ actual - expected

      at Context.<anonymous> (test/cart.test.js:7:12)
      at process.processImmediate (node:internal/timers:483:21)
`;

const jest = `FAIL test/sum.test.js
  sum
    ✓ adds (2 ms)
    ✕ subtracts (3 ms)

  ● sum › subtracts

    expect(received).toBe(expected) // Object.is equality

    Expected: 1
    Received: 2

    >  8 |     expect(sub(3, 1)).toBe(1);
         |                       ^

      at Object.toBe (test/sum.test.js:8:23)

Test Suites: 1 failed, 1 total
Tests:       1 failed, 1 passed, 2 total
`;

const vitest = ` ❯ test/sum.test.ts (2 tests | 1 failed) 5ms
   × sum > subtracts 3ms

⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯

 FAIL  test/sum.test.ts > sum > subtracts
AssertionError: expected 2 to be 1 // Object.is equality

 ❯ test/sum.test.ts:8:23
      8|     expect(sub(3, 1)).toBe(1);

 Test Files  1 failed (1)
      Tests  1 failed | 1 passed (2)
`;

describe('failing tests from runner output', () => {
  it('node:test TAP: the location of each failing test, not of suites whose subtests failed, nor TODOs', () => {
    const found = parseFailingTests(nodeTap, project({ 'test/paginate.test.js': '' }));
    assert.deepEqual(found, [
      {
        name: 'pager window is centred on the current page',
        file: 'test/paginate.test.js',
        line: 22,
        column: 1,
        message: 'Expected values to be strictly deep-equal:',
      },
      { name: 'rounds up', file: 'test/paginate.test.js', line: 30, column: 3, message: 'expected 3, got 2' },
    ]);
  });

  it('node:test spec reporter: its "failing tests" list', () => {
    assert.deepEqual(parseFailingTests(nodeSpec, project({ 'test/temperature.test.js': '' })), [
      {
        name: 'Fahrenheit back to Celsius',
        file: 'test/temperature.test.js',
        line: 12,
        column: 1,
        message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
      },
    ]);
  });

  it('pytest: the def line of the failing test, inside its class for Class::test ids', () => {
    const found = parseFailingTests(pytest, project({ 'tests/test_invoice.py': invoiceTests }));
    assert.deepEqual(
      found.map((f) => [f.name, f.file, f.line, f.message]),
      [
        ['test_single_installment_is_due_on_first_date', 'tests/test_invoice.py', 3, 'assert [(datetime.da... 5, 1), 5000)] == [(datetime.da... 4, 1), 5000)]'],
        ['TestTotals::test_rounding[2]', 'tests/test_invoice.py', 11, 'assert 3 == 2'],
      ],
    );
  });

  it("unittest: the failing method's def line from the traceback's file, with the last line as message", () => {
    const found = parseFailingTests(unittest, project({ 'tests/test_a.py': unittestFile }));
    assert.deepEqual(
      found.map((f) => [f.name, f.file, f.line, f.message]),
      [
        ['test_err', 'tests/test_a.py', 11, 'ValueError: boom'],
        ['test_bad', 'tests/test_a.py', 8, 'AssertionError: 1 != 2'],
      ],
    );
  });

  it('mocha, jest and vitest: the failure header and the first stack frame in a project file', () => {
    assert.deepEqual(parseFailingTests(mocha, project({ 'test/cart.test.js': '' })), [
      {
        name: 'cart totals prices',
        file: 'test/cart.test.js',
        line: 7,
        column: 12,
        message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
      },
    ]);
    assert.deepEqual(parseFailingTests(jest, project({ 'test/sum.test.js': '' })), [
      { name: 'sum › subtracts', file: 'test/sum.test.js', line: 8, column: 23, message: 'expect(received).toBe(expected) // Object.is equality' },
    ]);
    assert.deepEqual(parseFailingTests(vitest, project({ 'test/sum.test.ts': '' })), [
      { name: 'sum > subtracts', file: 'test/sum.test.ts', line: 8, column: 23, message: 'AssertionError: expected 2 to be 1 // Object.is equality' },
    ]);
  });

  it('drops locations outside the project instead of guessing', () => {
    const found = parseFailingTests(nodeTap, project({}));
    assert.equal(found.length, 2);
    assert.ok(found.every((f) => f.file === undefined && f.line === undefined));
    assert.deepEqual(parseFailingTests('all good\n# tests 3\n# pass 3\n', project({})), []);
  });
});
