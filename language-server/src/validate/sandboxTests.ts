// The tests stage's runner: the project's tests in the sandbox (Docker first, bubblewrap as the
// fallback, as `qlp test` chooses), the result turned into findings at the failing tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRunResult as SandboxRun } from '../../../protocol/sandbox';
import { throwIfAborted } from '../common/cancellation';
import { parseFailingTests, type FailingTest } from '../sandbox/failures';
import { ProjectTestRunner, runProjectTests, type RunnerOptions } from '../sandbox/runTests';
import { SandboxInputError, SandboxUnavailableError } from '../sandbox/types';
import type { StageFinding } from './model';
import type { RunTests, TestRunResult } from './stages/tests';

/** A runner the caller keeps (warm, for repeated runs), or the options for a fresh one per run. */
export type TestsSandbox = ProjectTestRunner | RunnerOptions;

/** Test files by the names the runners look for; the finding of a failure no runner located goes on one. */
const testFile = /(^|\/)(test_[^/]*\.py|[^/]*_test\.py|[^/]*[.\-_](test|spec)\.[cm]?[jt]sx?|test\/[^/]*\.[cm]?[jt]s)$/;
const manifests = ['package.json', 'pyproject.toml', 'setup.cfg', 'setup.py'];

function readText(dir: string, path: string): string | undefined {
  try {
    return readFileSync(join(dir, path), 'utf8');
  } catch {
    return undefined;
  }
}

/** A finding on a whole line of a project file (line 1 when the line is unknown). */
function lineFinding(
  dir: string,
  file: string,
  line: number | undefined,
  column: number | undefined,
  source: string,
  code: string,
  message: string,
): StageFinding {
  const at = line ?? 1;
  const text = readText(dir, file)?.split('\n')[at - 1] ?? '';
  const start = column ?? Math.max(1, text.search(/\S/) + 1);
  return {
    file,
    line: at,
    column: start,
    endLine: at,
    endColumn: Math.max(start + 1, text.replace(/\s+$/, '').length + 1),
    severity: 'error',
    source,
    code,
    message,
  };
}

/** The runner that produced the output, as a finding's source. */
function runnerName(command: string): string {
  const known = ['pytest', 'unittest', 'jest', 'vitest', 'mocha'].find((r) => command.includes(r));
  return known ?? (/\bnode --test\b/.test(command) ? 'node:test' : command.split(' ')[0] || 'tests');
}

/** The sandbox's result as the stage's: counts, coverage, and one error finding per failing test. */
export function testsStageResult(dir: string, run: SandboxRun): TestRunResult {
  if (run.status === 'error') return { skipped: `the tests could not run: ${run.error ?? 'see the sandbox output'}`, testRun: run };
  const paths = new Set(run.receipt.files.map((f) => f.path));
  const project = { has: (p: string) => paths.has(p), read: (p: string) => (paths.has(p) ? readText(dir, p) : undefined) };
  const source = runnerName(run.command);
  const findings: StageFinding[] = [];
  const fallbackFile = [...paths].sort().find((p) => testFile.test(p)) ?? manifests.find((m) => paths.has(m)) ?? [...paths].sort()[0];
  if (run.status === 'failed' || run.status === 'timeout') {
    const failing: FailingTest[] = run.status === 'failed' ? parseFailingTests(`${run.stdout}\n${run.stderr}`, project, run.cases) : [];
    for (const t of failing) {
      const file = t.file ?? fallbackFile;
      if (file)
        findings.push(
          lineFinding(dir, file, t.file ? t.line : undefined, t.file ? t.column : undefined, source, 'test-failed', `Test failed: ${t.name}: ${t.message}`),
        );
    }
    if (!findings.length && fallbackFile) {
      const why = run.error ?? `The tests failed (exit ${run.exitCode}) and the runner named no failing test; see the sandbox output.`;
      findings.push(lineFinding(dir, fallbackFile, undefined, undefined, source, run.status === 'timeout' ? 'tests-timeout' : 'tests-failed', why));
    }
  }
  return {
    findings,
    ...(run.tests ? { tests: { passed: run.tests.passed, failed: run.tests.failed, skipped: run.tests.skipped } } : {}),
    ...(run.coverage ? { coverage: run.coverage.linesPct / 100 } : {}),
    testRun: run,
  };
}

/** The tests stage's runner over a sandbox: `sandbox()` is asked on each run (settings may change). */
export function sandboxRunTests(sandbox: () => Promise<TestsSandbox> | TestsSandbox): RunTests {
  return async (dir, signal, progress) => {
    const use = await sandbox();
    const request = { signal, onProgress: (p: { kind: string; message?: string }) => (p.kind === 'phase' && p.message ? progress(p.message) : undefined) };
    try {
      const run = use instanceof ProjectTestRunner ? await use.run(dir, request) : await runProjectTests(dir, use, request);
      // A cancelled run has stopped and cleaned up; the validation ends as cancelled, not skipped.
      throwIfAborted(signal);
      return testsStageResult(dir, run);
    } catch (err) {
      // A project QLP cannot test (no tests, malformed manifest) or no sandbox to test it in is a
      // reason to skip, said in the report; anything else the sandbox throws fails the stage.
      if (err instanceof SandboxInputError || err instanceof SandboxUnavailableError) return { skipped: err.message };
      throw err;
    }
  };
}
