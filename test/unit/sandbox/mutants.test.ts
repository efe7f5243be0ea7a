// Mutants of JavaScript and TypeScript from the TypeScript parser, the deterministic choice
// among them, the import graph that picks the tests to run, and the report's arithmetic.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testReach, testsFor } from '../../../language-server/src/sandbox/mutation/jsImportGraph';
import { jsMutants } from '../../../language-server/src/sandbox/mutation/jsMutants';
import { mutationReport } from '../../../language-server/src/sandbox/mutation/report';
import { selectMutants } from '../../../language-server/src/sandbox/mutation/select';
import type { MutantCandidate } from '../../../language-server/src/sandbox/mutation/types';

const apply = (text: string, m: MutantCandidate) => text.slice(0, m.start) + m.replacement + text.slice(m.end);

describe('JavaScript and TypeScript mutants', () => {
  const source = `'use strict';
import { helper } from './helper.js';
export type Price = { amount: number; currency: 'EUR' };
export function price(items: Price[], member: boolean): number {
  let sum = 0;
  for (const item of items) sum += item.amount * 2;
  if (sum >= 100 && !member) log('big basket');
  return member === true ? sum - 5 : sum;
}
export const double = (n: number) => n * 2;
const config = { 'key': 1 };
`;

  it('flips comparisons, boundaries, arithmetic and booleans; drops negations; changes constants, returns and statements', () => {
    const { candidates, problem } = jsMutants('src/price.ts', source);
    assert.equal(problem, undefined);
    const seen = candidates.map((c) => `${c.operator} ${c.line}: ${c.mutated}`);
    for (const expected of [
      "boundary 7: if (sum > 100 && !member) log('big basket');",
      "boolean 7: if (sum >= 100 || !member) log('big basket');",
      "negation 7: if (sum >= 100 && member) log('big basket');",
      "constant 7: if (sum >= 100 && !member) log('');",
      'arithmetic 6: for (const item of items) sum -= item.amount * 2;',
      'arithmetic 6: for (const item of items) sum += item.amount / 2;',
      'comparison 8: return member !== true ? sum - 5 : sum;',
      'boolean 8: return member === false ? sum - 5 : sum;',
      'return 8: return undefined;',
      'constant 5: let sum = 1;',
      'statement 7: if (sum >= 100 && !member) ;',
      'statement 6: for (const item of items) ;',
      'return 10: export const double = (n: number) => undefined;',
    ])
      assert.ok(seen.includes(expected), `missing ${expected} in\n${seen.join('\n')}`);
    // Imports, types, directives and property names are not behaviour.
    assert.ok(!candidates.some((c) => [1, 2, 3].includes(c.line)), seen.join('\n'));
    assert.ok(!candidates.some((c) => c.line === 11 && c.operator === 'constant' && c.expected === "'key'"));
    for (const c of candidates) assert.equal(source.slice(c.start, c.end), c.expected);
    assert.equal(apply(source, candidates.find((c) => c.operator === 'negation')!).split('\n')[6], "  if (sum >= 100 && member) log('big basket');");
  });

  it('says which line of a file that does not parse', () => {
    const { candidates, problem } = jsMutants('src/broken.js', 'export function half(x {\n  return x / 2;\n}\n');
    assert.deepEqual(candidates, []);
    assert.match(problem ?? '', /^src\/broken\.js does not parse \(line 1: '?,'? expected\.?\)$/);
  });
});

describe('choosing mutants', () => {
  const candidates = ['a.js', 'b.js', 'c.js'].flatMap((file) =>
    Array.from(
      { length: 20 },
      (_, i): MutantCandidate => ({
        file,
        start: i * 10,
        end: i * 10 + 1,
        replacement: 'x',
        expected: 'y',
        line: i + 1,
        operator: (['boundary', 'constant', 'return', 'statement'] as const)[i % 4],
        original: '',
        mutated: '',
      }),
    ),
  );

  it('takes at most the maximum, the same every time, spread across files and kinds of change', () => {
    const chosen = selectMutants(candidates, 12);
    assert.equal(chosen.length, 12);
    assert.deepEqual(selectMutants([...candidates].reverse(), 12), chosen);
    assert.deepEqual(
      chosen.map((m) => m.id),
      [...Array(12).keys()],
    );
    for (const file of ['a.js', 'b.js', 'c.js']) {
      const mine = chosen.filter((m) => m.file === file);
      assert.equal(mine.length, 4);
      assert.deepEqual(new Set(mine.map((m) => m.operator)).size, 4);
    }
    const lines = chosen.filter((m) => m.file === 'a.js').map((m) => m.line);
    assert.ok(Math.max(...lines) - Math.min(...lines) > 4, `lines ${lines} bunch at the top of the file`);
    assert.equal(selectMutants(candidates, 500).length, 60);
    assert.equal(selectMutants(candidates, 0).length, 0);
  });
});

describe('the tests of a module', () => {
  it("follows imports, requires and TypeScript's .js-for-.ts specifiers; all tests when none imports it", () => {
    const files = new Map([
      ['src/a.ts', "import { b } from './b.js';\nexport const a = b;\n"],
      ['src/b.ts', 'export const b = 1;\n'],
      ['src/c.cjs', "module.exports = require('./d');\n"],
      ['src/d.js', 'module.exports = 2;\n'],
      ['src/lonely.js', 'export const x = 1;\n'],
      ['test/a.test.ts', "import { a } from '../src/a.js';\n"],
      ['test/c.test.js', "const c = require('../src/c.cjs');\n"],
    ]);
    const reach = testReach(files, ['test/a.test.ts', 'test/c.test.js']);
    assert.deepEqual(testsFor('src/b.ts', reach), ['test/a.test.ts']);
    assert.deepEqual(testsFor('src/d.js', reach), ['test/c.test.js']);
    assert.deepEqual(testsFor('src/lonely.js', reach), ['test/a.test.ts', 'test/c.test.js']);
  });
});

describe('the mutation report', () => {
  it('scores caught over tried (timeouts are caught), lists survivors, counts the rest', () => {
    const mutants = Array.from({ length: 6 }, (_, id) => ({
      id,
      file: 'a.py',
      start: 0,
      end: 1,
      replacement: '',
      expected: '',
      line: id + 1,
      operator: 'constant' as const,
      original: `x = ${id}`,
      mutated: `x = ${id + 1}`,
    }));
    const report = mutationReport({
      mutants,
      results: [
        { id: 0, status: 'killed' },
        { id: 1, status: 'timedOut' },
        { id: 2, status: 'survived' },
        { id: 3, status: 'error' },
      ],
      problems: ['b.py does not parse (line 1: invalid syntax); it was not mutated.'],
      badFiles: 1,
      tool: 'qlp-mutate (python ast; pytest)',
      durationMs: 1234.4,
    });
    assert.deepEqual(
      { ...report, survivors: report.survivors.map((s) => s.line) },
      {
        mutants: 6,
        killed: 1,
        survived: 1,
        timedOut: 1,
        errors: 2,
        notRun: 2,
        score: 2 / 3,
        durationMs: 1234,
        survivors: [3],
        tool: 'qlp-mutate (python ast; pytest)',
        problems: ['b.py does not parse (line 1: invalid syntax); it was not mutated.'],
      },
    );
    assert.equal(
      mutationReport({ mutants: [], results: [], problems: [], badFiles: 0, tool: 't', durationMs: 0, error: 'No code file was given to mutate.' }).score,
      0,
    );
  });
});
