// The frozen tests: what the syntax tree says a test file promises, which configuration decides
// what runs, and which repair changes the contract lets through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeUnderTest } from '../../../language-server/src/generate/codeUnderTest';
import { amendmentReasons, freezeContract, isTestFile, protectedView, reviewChange } from '../../../language-server/src/generate/testContract';
import { readTestStatics } from '../../../language-server/src/generate/testStatics';

const pyTests = `import pytest
from app.main import longest
from . import helpers

def check(x):
    assert x == 3

def test_real():
    assert longest(["a", "bb"]) == "bb"

def test_calls_only():
    longest(["a"])

def test_constants():
    assert True
    assert 1 == 1

@pytest.mark.skip(reason="later")
def test_skipped():
    assert longest([]) == ""

def test_through_helper():
    check(len(longest(["abc"])))

def test_raises():
    with pytest.raises(TypeError):
        longest(None)

class TestThing:
    @pytest.mark.xfail
    def test_a(self):
        assert longest(["x"]) == "x"

    def test_b(self):
        self.assertEqual(longest(["a"]), "a")
`;

const jsTests = `import assert from 'node:assert/strict';
import { test, describe, it } from 'node:test';
import { add } from '../src/index.js';
function helper(v) { assert.equal(add(v, 1), v + 1); }
test('adds', () => { assert.equal(add(2, 3), 5); });
test('calls only', () => { add(2, 3); });
test('constants', () => { assert.ok(true); assert.equal(1, 1); });
test.skip('skipped', () => { assert.equal(add(1, 1), 2); });
test('skip option', { skip: true }, () => { assert.equal(add(1, 1), 2); });
describe('group', () => {
  it('through a helper', () => helper(3));
  it('expect', () => { expect(add(1, 2)).toBe(3); });
});
test.todo('later');
`;

const summary = (tests: Array<{ name: string; assertions: number; marked: boolean }>) =>
  tests.map((t) => `${t.name}:${t.assertions}${t.marked ? ':marked' : ''}`);

describe('test statics', () => {
  it('counts real assertions per Python test and sees skip and xfail marks', async () => {
    const statics = (await readTestStatics('tests/test_app.py', pyTests))!;
    assert.deepEqual(summary(statics.tests), [
      'test_real:1',
      'test_calls_only:0',
      'test_constants:0',
      'test_skipped:1:marked',
      'test_through_helper:1',
      'test_raises:1',
      'TestThing.test_a:1:marked',
      'TestThing.test_b:1',
    ]);
    assert.deepEqual(statics.imports, ['pytest', 'app.main', 'app.main.longest', '.helpers']);
  });

  it('counts real assertions per JS/TS test and sees skip and todo', async () => {
    const statics = (await readTestStatics('test/index.test.ts', jsTests))!;
    assert.deepEqual(summary(statics.tests), [
      'adds:1',
      'calls only:0',
      'constants:0',
      'skipped:1:marked',
      'skip option:1:marked',
      'through a helper:1',
      'expect:1',
      'later:0:marked',
    ]);
    assert.deepEqual(statics.imports, ['node:assert/strict', 'node:test', '../src/index.js']);
  });
});

describe('what counts as a test', () => {
  it('a test file the plan calls code is still a test', () => {
    assert.equal(isTestFile({ path: 'tests/test_words.py', kind: 'code' }), true);
    assert.equal(isTestFile({ path: 'src/words.test.ts', kind: 'code' }), true);
    assert.equal(isTestFile({ path: 'src/words.py', kind: 'code' }), false);
  });

  it('a unittest class of any name is read by its base', async () => {
    const statics = (await readTestStatics(
      'tests/test_words.py',
      'import unittest\n\nclass Words(unittest.TestCase):\n    def test_a(self):\n        self.assertEqual(f(1), 2)\n\n    def test_b(self):\n        f(2)\n',
    ))!;
    assert.deepEqual(summary(statics.tests), ['Words.test_a:1', 'Words.test_b:0']);
  });
});

describe('the frozen configuration', () => {
  it('freezes pytest options but not the rest of pyproject.toml', () => {
    const base = '[project]\nname = "x"\ndependencies = ["fastapi"]\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n';
    assert.equal(protectedView('pyproject.toml', base), protectedView('pyproject.toml', base.replace('"fastapi"', '"fastapi", "httpx"')));
    assert.notEqual(protectedView('pyproject.toml', base), protectedView('pyproject.toml', `${base}addopts = "-k 'not slow'"\n`));
  });

  it('freezes the test scripts of package.json but not its dependencies', () => {
    const pkg = (test: string, deps: Record<string, string> = {}) => JSON.stringify({ scripts: { test, start: 'node .' }, dependencies: deps });
    assert.equal(protectedView('package.json', pkg('node --test')), protectedView('package.json', pkg('node --test', { fastify: '5' })));
    assert.notEqual(protectedView('package.json', pkg('node --test')), protectedView('package.json', pkg('node --test --test-name-pattern=add')));
  });

  it('freezes [tool:pytest] of setup.cfg, and conftest.py whole', () => {
    assert.equal(protectedView('setup.cfg', '[metadata]\nname = x\n'), null);
    assert.match(protectedView('setup.cfg', '[metadata]\nname = x\n[tool:pytest]\naddopts = -q\n')!, /addopts/);
    assert.equal(protectedView('tests/conftest.py', 'x = 1\n'), 'x = 1\n');
  });
});

describe('repairs against the contract', () => {
  const files = new Map([
    ['tests/test_app.py', 'from app.main import f\n\ndef test_f():\n    assert f(1) == 2\n    assert f(2) == 3\n'],
    ['pyproject.toml', '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'],
    ['app/main.py', 'def f(x):\n    return x + 1\n'],
  ]);
  const change = (path: string, after: string, reason?: string, isTest = path.startsWith('tests/')) => ({ path, after, isTest, round: 1, reason });

  it('lets code change freely and refuses a changed test without a reason', async () => {
    const contract = await freezeContract(files, ['tests/test_app.py']);
    assert.deepEqual(await reviewChange(contract, change('app/main.py', 'def f(x):\n    return x - 1\n')), { accepted: true });
    const review = await reviewChange(contract, change('tests/test_app.py', 'def test_f():\n    assert f(1)\n'));
    assert.equal(review.accepted, false);
  });

  it('accepts an amendment with a reason that keeps every test and assertion, and records it', async () => {
    const contract = await freezeContract(files, ['tests/test_app.py']);
    const amended = files.get('tests/test_app.py')!.replace('f(2) == 3', 'f(2) == 4');
    const review = await reviewChange(contract, change('tests/test_app.py', amended, 'the requirements say f adds two'));
    assert.equal(review.accepted, true);
    assert.equal(contract.amendments.length, 1);
    const fewer = await reviewChange(contract, change('tests/test_app.py', 'from app.main import f\n\ndef test_f():\n    assert f(1) == 2\n', 'one is enough'));
    assert.equal(fewer.accepted, false);
  });

  it('refuses test options added to pyproject.toml and a new conftest.py', async () => {
    const contract = await freezeContract(files, ['tests/test_app.py']);
    assert.equal(
      (await reviewChange(contract, change('pyproject.toml', '[tool.pytest.ini_options]\ntestpaths = ["tests"]\naddopts = "-k not f"\n'))).accepted,
      false,
    );
    assert.equal((await reviewChange(contract, change('conftest.py', 'collect_ignore = ["tests"]\n', undefined, false))).accepted, false);
  });

  it('reads AMEND lines with a real reason only', () => {
    const reasons = amendmentReasons('AMEND tests/test_app.py: the requirements say f adds two\nAMEND tests/other.py: x\n```tests/test_app.py\n```');
    assert.deepEqual([...reasons.keys()], ['tests/test_app.py']);
  });
});

describe('the code under test', () => {
  it('follows the imports from the tests through the code, and leaves out entry points', async () => {
    const tests = new Map([['tests/test_api.py', 'from app.main import app\n']]);
    const code = new Map([
      ['app/__init__.py', ''],
      ['app/main.py', 'from .models import Todo\nfrom app import store\n'],
      ['app/models.py', 'class Todo: ...\n'],
      ['app/store.py', 'items = []\n'],
      ['app/cli.py', 'from app.main import app\n'],
    ]);
    assert.deepEqual(await codeUnderTest(tests, code), ['app/__init__.py', 'app/main.py', 'app/models.py', 'app/store.py']);
    const js = await codeUnderTest(
      new Map([['test/a.test.ts', "import { a } from '../src/a.js';\n"]]),
      new Map([
        ['src/a.ts', "import { b } from './b.js';\n"],
        ['src/b.ts', ''],
        ['src/server.ts', ''],
      ]),
    );
    assert.deepEqual(js, ['src/a.ts', 'src/b.ts']);
  });
});
