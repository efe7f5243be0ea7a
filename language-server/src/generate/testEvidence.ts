// What a passing test run proves, checked against the contract from the runner's machine-readable
// results: every test that was written ran (none deselected, skipped or expected to fail), the
// count never drops between rounds, and every test asserts something computed.
import type { TestCase, TestRunResult } from '../../../protocol/sandbox';
import type { TestContract } from './testContract';

export interface TestEvidence {
  /** Why the run cannot back "verified", one sentence each; empty when it can. */
  problems: string[];
  /** Failing tests as `file::name: first line of the failure`. */
  failing: string[];
  /** Tests the runner collected, when it said. */
  collected: number | null;
}

const listed = (names: string[], max = 5) => `${names.slice(0, max).join(', ')}${names.length > max ? ` and ${names.length - max} more` : ''}`;

export const caseName = (c: { file?: TestCase['file'] | undefined; classname?: string; name: string }) => `${c.file ?? c.classname ?? '?'}::${c.name}`;

const firstLines = (text: string | undefined, lines = 2) =>
  (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, lines)
    .join(' ')
    .slice(0, 240);

/** Judges a test run against the frozen tests; `previousCollected` is the most any earlier round collected. */
export function judgeTestRun(run: TestRunResult, contract: TestContract, previousCollected: number): TestEvidence {
  const problems: string[] = [];
  const cases = run.cases ?? null;
  const failing = (cases ?? [])
    .filter((c) => c.status === 'failed' || c.status === 'error')
    .map((c) => `${caseName(c)}${c.message ? `: ${firstLines(c.message)}` : ''}`);
  const written = [...contract.tests].flatMap(([path, file]) => file.tests.map((t) => ({ path, ...t })));
  const empty = written.filter((t) => t.assertions === 0 && !t.marked);
  if (empty.length)
    problems.push(`${empty.length === 1 ? 'a test asserts' : `${empty.length} tests assert`} nothing: ${listed(empty.map((t) => `${t.path}::${t.name}`))}`);
  const marked = written.filter((t) => t.marked);
  if (marked.length)
    problems.push(
      `${marked.length === 1 ? 'a test is' : `${marked.length} tests are`} marked skip, xfail or todo in the source: ${listed(marked.map((t) => `${t.path}::${t.name}`))}`,
    );
  if (!cases) {
    problems.push('the test runner gave no machine-readable results, so which tests ran cannot be checked');
    return { problems, failing, collected: null };
  }
  const notRun = cases.filter((c) => c.status !== 'passed' && c.status !== 'failed' && c.status !== 'error');
  if (notRun.length)
    problems.push(`${notRun.length} of ${cases.length} tests did not run as tests: ${listed(notRun.map((c) => `${caseName(c)} (${c.status})`))}`);
  const deselected = Math.max(run.tests?.deselected ?? 0, 0) - notRun.filter((c) => c.status === 'deselected').length;
  if (deselected > 0) problems.push(`the runner was told not to run ${deselected} of the tests it found (deselected)`);
  const collected = Math.max(cases.length, run.tests?.collected ?? 0);
  const ran = cases.filter((c) => c.status !== 'deselected').length;
  if (ran < written.length) problems.push(`the test files hold ${written.length} tests but the runner ran ${ran}: tests were deselected or not found`);
  if (collected < previousCollected) problems.push(`the runner collected ${collected} tests, fewer than the ${previousCollected} of an earlier round`);
  return { problems, failing, collected };
}
