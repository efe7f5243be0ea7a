// Machine-readable results: report blocks split off stdout however the stream is chunked, and
// only when they carry the run's nonce; JUnit XML read into cases and counts. The samples in
// test/fixtures/sandbox/reports are real output, with the sandbox's working-folder paths (/project): pytest 7.2 with
// QLP's plugin (-k deselecting one test), QLP's node:test reporter on Node 20 (a skip, a todo, a
// suite, a failing hook, a file that does not load), vitest 3.2's JUnit and jest 29's JSON (a
// skip and a todo each; one jest test fails).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestCase } from '../../../protocol/sandbox';
import { parseFailingTests } from '../../../language-server/src/sandbox/failures';
import { parseJunit } from '../../../language-server/src/sandbox/junit';
import { lastBlocks, ReportSplitter, withReports, type ReportBlock } from '../../../language-server/src/sandbox/reportBlocks';
import { casesFromReports, countCases } from '../../../language-server/src/sandbox/testReports';
import { repoRoot } from '../../support/paths';

const sample = (name: string) => readFileSync(join(repoRoot, 'test', 'fixtures', 'sandbox', 'reports', name), 'utf8');
const project = (paths: string[]) => ({ has: (p: string) => paths.includes(p), read: () => undefined });

/** Feeds `text` to a splitter in chunks of `size` bytes; returns what was shown and the blocks. */
function split(text: string, nonce: string, size: number): { shown: string; blocks: ReportBlock[] } {
  const shown: Buffer[] = [];
  const splitter = new ReportSplitter(nonce, (chunk) => shown.push(Buffer.from(chunk)));
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) splitter.write(bytes.subarray(i, i + size));
  const { blocks } = splitter.finish();
  return { shown: Buffer.concat(shown).toString(), blocks };
}

describe('report blocks', () => {
  const nonce = 'a1b2c3';
  const block = (name: string, content: string, n = nonce) => `\n@@qlp-report ${n} ${name}@@\n${content}\n@@qlp-end ${n}@@\n`;

  it('splits blocks off the output at any chunking, leaving the rest as it was', () => {
    const text = `ok 1 - passes\nsome ünïcode\n${block('pytest.xml', '<testsuites/>')}tail line\n${block('extra.json', '{"a":1}')}`;
    for (const size of [1, 2, 3, 7, 16, 64, 4096]) {
      const { shown, blocks } = split(text, nonce, size);
      assert.equal(shown, 'ok 1 - passes\nsome ünïcode\ntail line\n', `chunks of ${size}`);
      assert.deepEqual(blocks, [
        { name: 'pytest.xml', content: '<testsuites/>' },
        { name: 'extra.json', content: '{"a":1}' },
      ]);
    }
  });

  it('leaves a look-alike block without the nonce in the output, and reads none from it', () => {
    const forged = block('pytest.xml', '<testsuites><testcase name="fake"/></testsuites>', 'guess');
    const { shown, blocks } = split(`before${forged}after`, nonce, 5);
    assert.equal(shown, `before${forged}after`);
    assert.deepEqual(blocks, []);
  });

  it('drops a block cut short, and a later block of the same name wins', () => {
    const { blocks } = split(`\n@@qlp-report ${nonce} a.xml@@\nhalf${block('a.xml', 'first')}${block('a.xml', 'second')}`, nonce, 3);
    assert.deepEqual(lastBlocks(blocks), [{ name: 'a.xml', content: 'second' }]);
    assert.deepEqual(split(`x\n@@qlp-report ${nonce} a.xml@@\nnever ends`, nonce, 4).blocks, []);
  });

  it("prints the report files after the command, with the command's exit status", async () => {
    const { spawnSync } = await import('node:child_process');
    const script = withReports('echo hi > /tmp/.qlp-report/r.txt; echo out; (exit 3)', nonce);
    const run = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    assert.equal(run.status, 3);
    const { shown, blocks } = split(run.stdout, nonce, 10);
    assert.equal(shown, 'out\n');
    assert.deepEqual(blocks, [{ name: 'r.txt', content: 'hi\n' }]);
  });
});

describe('JUnit XML', () => {
  const pytestProject = project(['tests/test_a.py']);

  it("reads pytest's xunit1: skip, xfail, strict xpass, setup error, parameters, 1-based lines", () => {
    const cases = parseJunit(sample('pytest.xml'), pytestProject, { zeroBasedLines: true })!;
    assert.deepEqual(
      cases.map((c) => [c.name, c.status]),
      [
        ['test_pass', 'passed'],
        ['test_fail', 'failed'],
        ['test_skip', 'skipped'],
        ['test_xfail', 'xfailed'],
        ['test_xpass', 'passed'],
        ['test_xpass_strict', 'failed'],
        ['test_error', 'error'],
        ['test_p[1]', 'passed'],
        ['test_p[2]', 'passed'],
      ],
    );
    const fail = cases[1];
    assert.deepEqual(
      { file: fail.file, line: fail.line, classname: fail.classname, message: fail.message },
      { file: 'tests/test_a.py', line: 3, classname: 'tests.test_a', message: 'AssertionError: one is not two\nassert 1 == 2' },
    );
    assert.equal(cases[2].message, 'later');
  });

  it("with QLP's pytest extras, marks the xpass and lists the deselected test", () => {
    const cases = casesFromReports(
      [
        { name: 'pytest.xml', content: sample('pytest.xml') },
        { name: 'pytest-extra.json', content: sample('pytest-extra.json') },
      ],
      pytestProject,
    )!;
    assert.equal(cases.find((c) => c.name === 'test_xpass')?.status, 'xpassed');
    assert.deepEqual(cases.at(-1), { file: 'tests/test_a.py', name: 'test_m', classname: 'tests.test_a.TestK', line: 16, status: 'deselected' });
    assert.deepEqual(countCases(cases), { passed: 4, failed: 3, skipped: 2, collected: 10, errors: 1, xfailed: 1, xpassed: 1, deselected: 1, source: 'junit' });
  });

  it("reads QLP's node:test reporter: skip and todo as skipped, suites as classname, hooks and files that break as errors", () => {
    const cases = parseJunit(sample('node.xml'), project(['test/a.test.js', 'test/b.test.js', 'test/c.test.js', 'test/d.test.js']))!;
    const brief = (c: TestCase) => [c.file, c.name, c.status, c.classname ?? '', c.message ?? ''];
    assert.deepEqual(cases.map(brief), [
      ['test/a.test.js', 'passes', 'passed', '', ''],
      ['test/a.test.js', 'fails', 'failed', '', 'AssertionError [ERR_ASSERTION]: one is not two'],
      ['test/a.test.js', 'skips', 'skipped', '', 'not now'],
      ['test/a.test.js', 'todo one', 'skipped', '', 'todo'],
      ['test/a.test.js', 'inner', 'passed', 'suite', ''],
      ['test/b.test.js', 'b passes', 'passed', '', ''],
      ['test/c.test.js', 'never', 'failed', 'hooked', 'test did not finish before its parent and was cancelled'],
      ['test/c.test.js', 'hooked', 'error', '', 'Error: hook broke'],
      ['test/d.test.js', '/project/test/d.test.js', 'error', '', 'test failed'],
    ]);
    assert.equal(cases[1].line, 3);
    assert.deepEqual(countCases(cases), { passed: 3, failed: 4, skipped: 2, collected: 9, errors: 2, xfailed: 0, xpassed: 0, deselected: 0, source: 'junit' });
  });

  it("reads vitest's JUnit (the file in classname) and jest's JSON", () => {
    const shop = project(['test/shop.test.js']);
    const vitest = casesFromReports([{ name: 'vitest.xml', content: sample('vitest.xml') }], shop)!;
    assert.deepEqual(
      vitest.map((c) => [c.file, c.name, c.status]),
      [
        ['test/shop.test.js', 'clamp > keeps values inside', 'passed'],
        ['test/shop.test.js', 'clamp > raises low values', 'passed'],
        ['test/shop.test.js', 'clamp > lowers high values', 'passed'],
        ['test/shop.test.js', 'clamp > later', 'skipped'],
        ['test/shop.test.js', 'clamp > someday', 'skipped'],
      ],
    );
    const jest = casesFromReports([{ name: 'jest.json', content: sample('jest.json') }], shop)!;
    assert.deepEqual(
      jest.map((c) => [c.file, c.classname, c.name, c.status]),
      [
        ['test/shop.test.js', 'clamp', 'keeps values inside', 'passed'],
        ['test/shop.test.js', 'clamp', 'raises low values', 'passed'],
        ['test/shop.test.js', 'clamp', 'lowers high values', 'failed'],
        ['test/shop.test.js', 'clamp', 'later', 'skipped'],
        ['test/shop.test.js', 'clamp', 'someday', 'skipped'],
      ],
    );
    assert.match(jest[2].message ?? '', /^Error: expect\(received\)\.toBe\(expected\)/);
    assert.deepEqual(countCases(jest), { passed: 2, failed: 1, skipped: 2, collected: 5, errors: 0, xfailed: 0, xpassed: 0, deselected: 0, source: 'junit' });
  });

  it('refuses what is not JUnit: malformed XML, a DOCTYPE, another document', () => {
    assert.equal(parseJunit('<testsuites><testcase name="a">', pytestProject), null);
    assert.equal(parseJunit('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><testsuites><testcase name="&a;"/></testsuites>', pytestProject), null);
    assert.equal(parseJunit('<html><body/></html>', pytestProject), null);
    assert.deepEqual(parseJunit('<testsuites></testsuites>', pytestProject), []);
    assert.equal(casesFromReports([{ name: 'pytest.xml', content: 'not xml' }], pytestProject), null);
  });

  it('names the failing tests from the cases, at their files and lines', () => {
    const cases = parseJunit(sample('pytest.xml'), pytestProject, { zeroBasedLines: true })!;
    assert.deepEqual(parseFailingTests('no runner output here', pytestProject, cases), [
      { name: 'test_fail', file: 'tests/test_a.py', line: 3, column: 1, message: 'AssertionError: one is not two' },
      { name: 'test_xpass_strict', file: 'tests/test_a.py', line: 10, column: 1, message: '[XPASS(strict)]' },
      { name: 'test_error', file: 'tests/test_a.py', line: 14, column: 1, message: 'failed on setup with "RuntimeError: fixture broke"' },
    ]);
  });
});
