// Mutation testing of a project whose tests pass: small changes (mutants) are made to its code
// one at a time and the tests run against each, all inside the sandbox session of the test run.
// Python mutants are found by the driver inside the sandbox (the ast module); JavaScript and
// TypeScript mutants here, with the TypeScript compiler's parser (nothing of the project runs).
// A deterministic choice of at most `maxMutants`, spread across files and kinds of change; the
// run stops at the time budget and what is left is `notRun`.
import type { MutationProgress, MutationReport } from '../../../../protocol/sandbox';
import type { Control } from '../../common/control';
import type { ProjectFiles, SandboxPlan } from '../detect';
import { lastBlocks, newNonce, type ReportBlock } from '../reportBlocks';
import { toolPath } from '../sandboxTools';
import type { RunOutcome } from '../types';
import { testReach, testsFor } from './jsImportGraph';
import { jsMutants } from './jsMutants';
import { nodeMutationDriverFile } from './nodeDriver';
import { pythonMutationDriverFile } from './pythonDriver';
import { mutationReport } from './report';
import { selectMutants } from './select';
import type { Mutant, MutantCandidate, MutantResult } from './types';

export interface MutateOptions extends Control<MutationProgress> {
  /** The code to mutate, relative to the project. */
  codeFiles: string[];
  /** The tests that should notice, relative to the project. */
  testFiles: string[];
  /** At most this many mutants (default 30). */
  maxMutants?: number;
  /** Stop starting mutants after this long, from the call (default 60 s; never past the sandbox's time limit). */
  timeBudgetMs?: number;
}

/** The sandbox session of the test run, as mutation testing uses it. */
export interface MutationSession {
  plan: SandboxPlan;
  /** The staged project. */
  files: ProjectFiles;
  timeoutSeconds: number;
  /** Runs a command in the session (the test run's environment, mounts and limits; no network). */
  run(argv: string[], nonce: string, onReport?: (block: ReportBlock) => void): Promise<RunOutcome>;
}

export const defaultMaxMutants = 30;
export const defaultMutationBudgetMs = 60_000;

const jsFile = /\.(?:[cm]?[jt]s|[jt]sx)$/;

const parse = <T>(block: ReportBlock | undefined): T | undefined => {
  if (!block) return undefined;
  try {
    return JSON.parse(block.content) as T;
  } catch {
    return undefined;
  }
};

/** Why a driver run gave nothing, in one sentence: the driver's own account when it gave one. */
function driverFailure(what: string, outcome: RunOutcome): string {
  if (outcome.cancelled) return 'The mutation check was cancelled.';
  if (outcome.timedOut) return `${what} did not finish within the sandbox's time limit.`;
  const told = parse<{ message: string }>(lastBlocks(outcome.report?.blocks ?? []).find((b) => b.name === 'failure'))?.message;
  const line = (told ?? `${outcome.stderr.text}\n${outcome.stdout.text}`)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop();
  return `${what} failed in the sandbox (exit ${outcome.exitCode})${line ? `: ${line.slice(0, 200)}` : ''}.`;
}

/** What was left out of the check, and why: said in the report. */
interface LeftOut {
  problems: string[];
  /** Code files given that could not be mutated. */
  badFiles: number;
}

export async function runMutation(session: MutationSession, options: MutateOptions, started = performance.now()): Promise<MutationReport> {
  const { plan } = session;
  const leftOut: LeftOut = { problems: [], badFiles: 0 };
  const { code, tests } = filesInProject(session.files, options, leftOut);
  const progress = (done: number, total: number, message: string) => options.onProgress?.({ done, total, message });
  const tool = `qlp-mutate (${plan.stack === 'python' ? 'python ast' : 'typescript'}; ${plan.test.runner.name})`;
  const finish = (mutants: Mutant[], results: MutantResult[], error?: string): MutationReport =>
    mutationReport({ mutants, results, ...leftOut, tool, durationMs: performance.now() - started, error });

  if (!code.length) return finish([], [], leftOut.problems.length ? 'None of the code files given is in the project.' : 'No code file was given to mutate.');
  if (!tests.length) return finish([], [], 'No test file was given to run against the mutants.');

  // 1. The mutants.
  progress(0, 0, `Finding mutants in ${code.length} file${code.length === 1 ? '' : 's'}`);
  const candidates = await findMutants(session, code, leftOut);
  if (typeof candidates === 'string') return finish([], [], candidates);
  const chosen = selectMutants(candidates, options.maxMutants ?? defaultMaxMutants);
  if (!chosen.length) return finish([], [], `No mutant could be made of ${code.join(', ')}.`);

  // 2. The tests against each mutant, in one driver run.
  const deadline = started + (options.timeBudgetMs ?? defaultMutationBudgetMs);
  const budgetMs = Math.max(1000, Math.min(deadline - performance.now(), session.timeoutSeconds * 1000 - 5000));
  const nonce = newNonce();
  const results: MutantResult[] = [];
  progress(0, chosen.length, `Running the tests against ${chosen.length} mutants`);
  const outcome = await session.run(driverArgv(session, tests, chosen, budgetMs, nonce), nonce, (block) => {
    const result = block.name === 'mutant' ? parse<MutantResult>(block) : undefined;
    if (!result) return;
    results.push(result);
    progress(results.length, chosen.length, `Mutant ${results.length} of ${chosen.length}: ${result.status}`);
  });
  const failure = runFailure(outcome);
  if (failure) return finish(chosen, results, failure);
  if (outcome.timedOut) leftOut.problems.push("The mutation run reached the sandbox's time limit; the mutants left were not run.");
  progress(
    results.length,
    chosen.length,
    `Mutation check done: ${results.filter((r) => r.status === 'killed' || r.status === 'timedOut').length} of ${results.length} mutants caught`,
  );
  return finish(chosen, results);
}

/** The code and test files given, each once, without those the project does not have (said in `leftOut`). */
function filesInProject(files: ProjectFiles, options: MutateOptions, leftOut: LeftOut): { code: string[]; tests: string[] } {
  const code = [...new Set(options.codeFiles)].filter((f) => {
    if (files.has(f)) return true;
    leftOut.problems.push(`${f} is not one of the project's files.`);
    leftOut.badFiles++;
    return false;
  });
  const tests = [...new Set(options.testFiles)].filter((f) => {
    if (files.has(f)) return true;
    leftOut.problems.push(`The test file ${f} is not one of the project's files.`);
    return false;
  });
  return { code, tests };
}

/** The mutants the code files allow (Python's found by the driver in the sandbox), or why none could be looked for. */
async function findMutants(session: MutationSession, code: string[], leftOut: LeftOut): Promise<MutantCandidate[] | string> {
  if (session.plan.stack === 'python') {
    const nonce = newNonce();
    const listed = await session.run(['python3', toolPath(pythonMutationDriverFile), nonce, 'list', JSON.stringify({ files: code })], nonce);
    const found = parse<{ candidates: MutantCandidate[]; problems: Array<{ file: string; message: string }> }>(
      lastBlocks(listed.report?.blocks ?? []).find((b) => b.name === 'candidates'),
    );
    if (!found) return driverFailure('Finding the mutants', listed);
    for (const p of found.problems) leftOut.problems.push(`${p.message}; it was not mutated.`);
    leftOut.badFiles += found.problems.length;
    return found.candidates;
  }
  const candidates: MutantCandidate[] = [];
  for (const file of code) {
    if (!jsFile.test(file)) {
      leftOut.problems.push(`${file} is not JavaScript or TypeScript; it was not mutated.`);
      leftOut.badFiles++;
      continue;
    }
    const found = jsMutants(file, session.files.read(file) ?? '');
    if (found.problem) {
      leftOut.problems.push(`${found.problem}; it was not mutated.`);
      leftOut.badFiles++;
    }
    candidates.push(...found.candidates);
  }
  return candidates;
}

/** The driver run that tries every chosen mutant against the tests (for JavaScript, only the tests that reach its file). */
function driverArgv(session: MutationSession, tests: string[], chosen: Mutant[], budgetMs: number, nonce: string): string[] {
  const { plan, files } = session;
  const runner = plan.test.runner;
  if (plan.stack === 'python') {
    const config = {
      runner: runner.name === 'unittest' ? 'unittest' : 'pytest',
      args: runner.name === 'unittest' ? runner.args : [],
      tests,
      mutants: chosen,
      budgetMs,
    };
    return ['python3', toolPath(pythonMutationDriverFile), nonce, 'run', JSON.stringify(config)];
  }
  const sources = new Map(files.paths.filter((p) => jsFile.test(p)).map((p) => [p, files.read(p) ?? '']));
  const reach = testReach(sources, tests);
  const how =
    runner.name === 'node:test'
      ? { argv: ['node', ...runner.nodeArgs] }
      : runner.name === 'jest' || runner.name === 'vitest'
        ? { argv: runner.argv }
        : { command: runner.name === 'script' ? runner.command : plan.test.command };
  const config = { runner: how, mutants: chosen.map((m) => ({ ...m, tests: testsFor(m.file, reach) })), budgetMs };
  return ['node', toolPath(nodeMutationDriverFile), nonce, JSON.stringify(config)];
}

/** Why the mutation run's results cannot stand: the driver failed, the unmutated tests failed, or it was cancelled. */
function runFailure(outcome: RunOutcome): string | undefined {
  const baseline = parse<{ status: string; failing?: string[] }>(lastBlocks(outcome.report?.blocks ?? []).find((b) => b.name === 'baseline'));
  if (!baseline) return driverFailure('The mutation run', outcome);
  if (baseline.status !== 'passed') {
    const which = baseline.failing?.length ? ` (${baseline.failing.join(', ')})` : '';
    return `The tests${which} do not pass when run for the mutation check, so no mutant was tried.`;
  }
  if (outcome.cancelled) return 'The mutation check was cancelled.';
  return undefined;
}
