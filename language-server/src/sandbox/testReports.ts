// The test cases and counts of a run, from the report files its runner left (JUnit XML from
// pytest, node:test, unittest and vitest; jest's JSON; QLP's pytest extras), as they came out of
// the sandbox in report blocks. Null when the run left none that can be read.
import type { TestCase, TestCounts } from '../../../protocol/sandbox';
import { firstLines, projectPath, type FailureProject } from './failures';
import { parseJunit } from './junit';
import type { ReportBlock } from './reportBlocks';
import { fullCounts } from './results';

interface PytestExtras {
  deselected?: Array<{ file?: string; line?: number | null; classname?: string; name?: string }>;
  xpassed?: Array<{ classname?: string; name?: string }>;
}

const key = (c: { classname?: string; name?: string }) => `${c.classname ?? ''}::${c.name ?? ''}`;

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** pytest's xpasses are plain passes in its XML; its deselected tests are not there at all. */
function applyPytestExtras(cases: TestCase[], extras: PytestExtras, project: FailureProject): TestCase[] {
  const xpassed = new Set((extras.xpassed ?? []).map(key));
  const marked = cases.map((c) => (c.status === 'passed' && xpassed.has(key(c)) ? { ...c, status: 'xpassed' as const } : c));
  const deselected = (extras.deselected ?? []).map(
    (d): TestCase => ({
      file: (d.file && projectPath(d.file, project)) || null,
      name: d.name ?? '',
      ...(d.classname ? { classname: d.classname } : {}),
      ...(d.line ? { line: d.line } : {}),
      status: 'deselected',
    }),
  );
  return [...marked, ...deselected];
}

interface JestReport {
  testResults?: Array<{
    name?: string;
    message?: string;
    status?: string;
    assertionResults?: Array<{
      ancestorTitles?: string[];
      title?: string;
      status?: string;
      failureMessages?: string[];
      duration?: number | null;
      location?: { line?: number } | null;
    }>;
  }>;
}

/** jest's `--json` report: one case per assertion result; a file that failed to run is an error. */
function jestCases(report: JestReport, project: FailureProject): TestCase[] {
  return (report.testResults ?? []).flatMap((file) => {
    const path = (file.name && projectPath(file.name, project)) || null;
    const results = file.assertionResults ?? [];
    if (!results.length && file.status === 'failed')
      return [{ file: path, name: file.name ?? '', status: 'error' as const, message: firstLines(file.message) }];
    return results.map((r): TestCase => {
      const status = r.status === 'passed' ? 'passed' : r.status === 'failed' ? 'failed' : 'skipped';
      const message = status === 'failed' ? firstLines((r.failureMessages ?? []).join('\n')) : r.status === 'todo' ? 'todo' : '';
      return {
        file: path,
        name: r.title ?? '',
        ...(r.ancestorTitles?.length ? { classname: r.ancestorTitles.join(' > ') } : {}),
        ...(r.location?.line ? { line: r.location.line } : {}),
        status,
        ...(message ? { message } : {}),
        ...(typeof r.duration === 'number' ? { durationMs: r.duration } : {}),
      };
    });
  });
}

/** Counts that follow from the cases. */
export function countCases(cases: readonly TestCase[]): TestCounts {
  const n = (status: TestCase['status']) => cases.filter((c) => c.status === status).length;
  return fullCounts(
    {
      passed: n('passed') + n('xpassed'),
      failed: n('failed') + n('error'),
      skipped: n('skipped') + n('xfailed'),
      errors: n('error'),
      xfailed: n('xfailed'),
      xpassed: n('xpassed'),
      deselected: n('deselected'),
    },
    'junit',
  );
}

/** The cases of every report file the run left, or null when there is none that reads. */
export function casesFromReports(blocks: readonly ReportBlock[], project: FailureProject): TestCase[] | null {
  const read: TestCase[][] = [];
  for (const block of blocks) {
    if (block.name.endsWith('.xml')) {
      const cases = parseJunit(block.content, project, { zeroBasedLines: block.name === 'pytest.xml' });
      if (cases) read.push(cases);
    } else if (block.name === 'jest.json') {
      const report = parseJson<JestReport>(block.content);
      if (report) read.push(jestCases(report, project));
    }
  }
  if (!read.length) return null;
  const cases = read.flat();
  const extras = blocks.find((b) => b.name === 'pytest-extra.json');
  const parsed = extras && parseJson<PytestExtras>(extras.content);
  return parsed ? applyPytestExtras(cases, parsed, project) : cases;
}
