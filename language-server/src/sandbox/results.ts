// Test counts and coverage read from the summaries the common runners print: node:test (tap and
// spec), pytest, unittest, jest, vitest and mocha; coverage from Node's runner, c8 and coverage.py.
import type { Coverage, TestCounts, TestRunStatus } from '../../../protocol/sandbox';

const ansi = /\u001b\[[0-9;]*m/g;

/** What a summary tells; the rest of TestCounts follows from it. */
type SummaryCounts = Pick<TestCounts, 'passed' | 'failed' | 'skipped'> & Partial<Pick<TestCounts, 'errors' | 'xfailed' | 'xpassed' | 'deselected'>>;
type Parser = (text: string) => SummaryCounts | null;

const count = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);

/** Counts with every field, from what a summary or a report told. */
export function fullCounts(c: SummaryCounts, source: TestCounts['source']): TestCounts {
  const deselected = c.deselected ?? 0;
  return {
    passed: c.passed,
    failed: c.failed,
    skipped: c.skipped,
    collected: c.passed + c.failed + c.skipped + deselected,
    errors: c.errors ?? 0,
    xfailed: c.xfailed ?? 0,
    xpassed: c.xpassed ?? 0,
    deselected,
    source,
  };
}

/** node:test's closing summary (`# tests 3` in tap, `ℹ tests 3` in spec); summed over every run printed. */
const nodeTest: Parser = (text) => {
  const blocks = [...text.matchAll(/^[#ℹ] ?tests (\d+)\n(?:[#ℹ] ?\w+ [\d.]+\n)+/gm)];
  if (!blocks.length) return null;
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const [block] of blocks) {
    const n = (name: string) => count(block, new RegExp(`^[#ℹ] ?${name} (\\d+)$`, 'm'));
    total.passed += n('pass');
    total.failed += n('fail') + n('cancelled');
    total.skipped += n('skipped') + n('todo');
  }
  return total;
};

/** pytest's last line: `1 failed, 2 passed, 1 skipped in 0.12s` (with or without the `=` rule). */
const pytest: Parser = (text) => {
  const lines = [
    ...text.matchAll(/^=*\s*((?:\d+ (?:passed|failed|skipped|errors?|xfailed|xpassed|deselected|warnings?|rerun)(?:, )?)+|no tests ran) in [\d.]+s\b.*$/gm),
  ];
  if (!lines.length) return null;
  const summary = lines[lines.length - 1][1];
  const n = (word: string) => count(summary, new RegExp(`(\\d+) ${word}\\b`));
  return {
    passed: n('passed') + n('xpassed'),
    failed: n('failed') + n('errors?'),
    skipped: n('skipped') + n('xfailed'),
    errors: n('errors?'),
    xfailed: n('xfailed'),
    xpassed: n('xpassed'),
    deselected: n('deselected'),
  };
};

/** unittest: `Ran 5 tests in 0.001s`, then `OK (skipped=1)` or `FAILED (failures=1, errors=1)`. */
const unittest: Parser = (text) => {
  const runs = [...text.matchAll(/^Ran (\d+) tests? in [\d.]+s\s*\n\s*\n?(OK|FAILED)(?: \(([^)]*)\))?/gm)];
  if (!runs.length) return null;
  const [, ran, , details = ''] = runs[runs.length - 1];
  // Each count starts the list or follows a comma ("expected failures=1" is not "failures=1").
  const n = (name: string) => count(details, new RegExp(`(?:^|,)\\s*${name}=(\\d+)`));
  const failed = n('failures') + n('errors');
  const skipped = n('skipped') + n('expected failures');
  return {
    passed: Math.max(0, Number(ran) - failed - skipped),
    failed,
    skipped,
    errors: n('errors'),
    xfailed: n('expected failures'),
    xpassed: n('unexpected successes'),
  };
};

/** jest: `Tests:       1 failed, 2 skipped, 3 passed, 6 total`. */
const jest: Parser = (text) => {
  const lines = [...text.matchAll(/^Tests:\s+(.*\d+ total)$/gm)];
  if (!lines.length) return null;
  const summary = lines[lines.length - 1][1];
  const n = (word: string) => count(summary, new RegExp(`(\\d+) ${word}`));
  return { passed: n('passed'), failed: n('failed'), skipped: n('skipped') + n('todo') };
};

/** vitest: ` Tests  1 failed | 3 passed | 1 skipped (5)`. */
const vitest: Parser = (text) => {
  const lines = [...text.matchAll(/^\s*Tests\s+((?:\d+ \w+(?: \| )?)+)\s*\(\d+\)/gm)];
  if (!lines.length) return null;
  const summary = lines[lines.length - 1][1];
  const n = (word: string) => count(summary, new RegExp(`(\\d+) ${word}`));
  return { passed: n('passed'), failed: n('failed'), skipped: n('skipped') + n('todo') };
};

/** mocha: `3 passing (12ms)`, `1 failing`, `2 pending`. */
const mocha: Parser = (text) => {
  const passing = /^\s+(\d+) passing \(/m.exec(text);
  if (!passing) return null;
  return { passed: Number(passing[1]), failed: count(text, /^\s+(\d+) failing$/m), skipped: count(text, /^\s+(\d+) pending$/m) };
};

const parsers: Parser[] = [nodeTest, jest, vitest, pytest, unittest, mocha];

/** The counts from the first runner whose summary appears in the output, or null. */
export function parseTestCounts(output: string): TestCounts | null {
  const text = output.replace(ansi, '').replace(/\r\n/g, '\n');
  for (const parse of parsers) {
    const counts = parse(text);
    if (counts) return fullCounts(counts, 'summary');
  }
  return null;
}

const pct = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** Coverage from the tool the plan asked for, when its summary is in the output. */
export function parseCoverage(output: string, tool: Coverage['tool'] | null): Coverage | null {
  if (!tool) return null;
  const text = output.replace(ansi, '');
  if (tool === 'node') {
    const all = /^[#ℹ] ?all files\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)/m.exec(text);
    return all ? { tool, linesPct: Number(all[1]), branchesPct: Number(all[2]), functionsPct: Number(all[3]) } : null;
  }
  if (tool === 'c8') {
    const lines = /^Lines\s*:\s*([\d.]+)%/m.exec(text);
    if (lines)
      return {
        tool,
        linesPct: Number(lines[1]),
        branchesPct: pct(/^Branches\s*:\s*([\d.]+)%/m.exec(text)?.[1]),
        functionsPct: pct(/^Functions\s*:\s*([\d.]+)%/m.exec(text)?.[1]),
      };
    const table = /^All files\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)/m.exec(text);
    return table ? { tool, linesPct: Number(table[4]), branchesPct: Number(table[2]), functionsPct: Number(table[3]) } : null;
  }
  const total = /^TOTAL(?:\s+\d+)+\s+(\d+(?:\.\d+)?)%/m.exec(text);
  return total ? { tool, linesPct: Number(total[1]) } : null;
}

export interface Verdict {
  status: TestRunStatus;
  /** Why, when the status needs a reason (`error`, or a failure no test reported). */
  error?: string;
}

/** The run's status from how the test command ended and what its runner reported. */
export function decideStatus(
  outcome: { exitCode: number | null; timedOut: boolean; oomKilled: boolean; cancelled: boolean },
  counts: TestCounts | null,
  limits: { timeoutSeconds: number; memoryMb: number },
): Verdict {
  if (outcome.cancelled) return { status: 'error', error: 'The test run was cancelled.' };
  if (outcome.timedOut) return { status: 'timeout', error: `The tests did not finish within ${limits.timeoutSeconds} s and were stopped.` };
  if (outcome.oomKilled) return { status: 'failed', error: `The tests ran out of memory (${limits.memoryMb} MiB) and were killed.` };
  const ran = counts ? counts.passed + counts.failed + counts.skipped : undefined;
  if (outcome.exitCode === 0) {
    if (counts && counts.failed > 0) return { status: 'failed', error: `The test command exited 0 but its runner reported ${counts.failed} failed.` };
    if (ran === 0) return { status: 'failed', error: 'No tests ran.' };
    return { status: 'passed' };
  }
  if (ran === 0) return { status: 'failed', error: 'No tests ran.' };
  if (!counts && (outcome.exitCode === 126 || outcome.exitCode === 127)) {
    return { status: 'error', error: `The test command could not start in the sandbox (exit ${outcome.exitCode}: a program it needs is missing); see stderr.` };
  }
  return { status: 'failed' };
}
