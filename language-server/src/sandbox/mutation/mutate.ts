// Mutation testing of a project whose tests pass: small changes (mutants) are made to its code
// one at a time and the tests run against each, all inside the sandbox session of the test run.
// Python mutants are found by the driver inside the sandbox (the ast module); JavaScript and
// TypeScript mutants here, with the TypeScript compiler's parser (nothing of the project runs).
// A deterministic choice of at most `maxMutants`, spread across files and kinds of change; the
// run stops at the time budget and what is left is `notRun`.
import type { MutationProgress, MutationReport } from '../../../../protocol/sandbox';
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

export interface MutateOptions {
  /** The code to mutate, relative to the project. */
  codeFiles: string[];
  /** The tests that should notice, relative to the project. */
  testFiles: string[];
  /** At most this many mutants (default 30). */
  maxMutants?: number;
  /** Stop starting mutants after this long, from the call (default 60 s; never past the sandbox's time limit). */
  timeBudgetMs?: number;
  signal?: AbortSignal;
  onProgress?(progress: MutationProgress): void;
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
  const line = (told ?? `${outcome.stderr.text}\n${outcome.stdout.text}`).split('\n').map((l) => l.trim()).filter(Boolean).pop();
  return `${what} failed in the sandbox (exit ${outcome.exitCode})${line ? `: ${line.slice(0, 200)}` : ''}.`;
}

export async function runMutation(session: MutationSession, options: MutateOptions, started = performance.now()): Promise<MutationReport> {
  const { plan, files } = session;
  const problems: string[] = [];
  let badFiles = 0;
  const code = [...new Set(options.codeFiles)].filter((f) => {
    if (files.has(f)) return true;
    problems.push(`${f} is not one of the project's files.`);
    badFiles++;
    return false;
  });
  const tests = [...new Set(options.testFiles)].filter((f) => {
    if (files.has(f)) return true;
    problems.push(`The test file ${f} is not one of the project's files.`);
    return false;
  });
  const max = options.maxMutants ?? defaultMaxMutants;
  const deadline = started + (options.timeBudgetMs ?? defaultMutationBudgetMs);
  const progress = (done: number, total: number, message: string) => options.onProgress?.({ done, total, message });
  const python = plan.stack === 'python';
  const tool = `qlp-mutate (${python ? 'python ast' : 'typescript'}; ${plan.test.runner.name})`;
  const finish = (mutants: Mutant[], results: MutantResult[], error?: string): MutationReport =>
    mutationReport({ mutants, results, problems, badFiles, tool, durationMs: performance.now() - started, error });

  if (!code.length) return finish([], [], problems.length ? 'None of the code files given is in the project.' : 'No code file was given to mutate.');
  if (!tests.length) return finish([], [], 'No test file was given to run against the mutants.');

  // 1. The mutants.
  progress(0, 0, `Finding mutants in ${code.length} file${code.length === 1 ? '' : 's'}`);
  let candidates: MutantCandidate[] = [];
  if (python) {
    const nonce = newNonce();
    const listed = await session.run(['python3', toolPath(pythonMutationDriverFile), nonce, 'list', JSON.stringify({ files: code })], nonce);
    const found = parse<{ candidates: MutantCandidate[]; problems: Array<{ file: string; message: string }> }>(lastBlocks(listed.report?.blocks ?? []).find((b) => b.name === 'candidates'));
    if (!found) return finish([], [], driverFailure('Finding the mutants', listed));
    candidates = found.candidates;
    for (const p of found.problems) problems.push(`${p.message}; it was not mutated.`);
    badFiles += found.problems.length;
  } else {
    for (const file of code) {
      if (!jsFile.test(file)) {
        problems.push(`${file} is not JavaScript or TypeScript; it was not mutated.`);
        badFiles++;
        continue;
      }
      const found = jsMutants(file, files.read(file) ?? '');
      if (found.problem) {
        problems.push(`${found.problem}; it was not mutated.`);
        badFiles++;
      }
      candidates.push(...found.candidates);
    }
  }
  const chosen = selectMutants(candidates, max);
  if (!chosen.length) return finish([], [], `No mutant could be made of ${code.join(', ')}.`);

  // 2. The tests against each mutant, in one driver run.
  const budgetMs = Math.max(1000, Math.min(deadline - performance.now(), session.timeoutSeconds * 1000 - 5000));
  const nonce = newNonce();
  let argv: string[];
  if (python) {
    const runner = plan.test.runner;
    const config = { runner: runner.name === 'unittest' ? 'unittest' : 'pytest', args: runner.name === 'unittest' ? runner.args : [], tests, mutants: chosen, budgetMs };
    argv = ['python3', toolPath(pythonMutationDriverFile), nonce, 'run', JSON.stringify(config)];
  } else {
    const sources = new Map(files.paths.filter((p) => jsFile.test(p)).map((p) => [p, files.read(p) ?? '']));
    const reach = testReach(sources, tests);
    const runner = plan.test.runner;
    const how =
      runner.name === 'node:test' ? { argv: ['node', ...runner.nodeArgs] } : runner.name === 'jest' || runner.name === 'vitest' ? { argv: runner.argv } : { command: runner.name === 'script' ? runner.command : plan.test.command };
    const config = { runner: how, mutants: chosen.map((m) => ({ ...m, tests: testsFor(m.file, reach) })), budgetMs };
    argv = ['node', toolPath(nodeMutationDriverFile), nonce, JSON.stringify(config)];
  }
  const results: MutantResult[] = [];
  progress(0, chosen.length, `Running the tests against ${chosen.length} mutants`);
  const outcome = await session.run(argv, nonce, (block) => {
    const result = block.name === 'mutant' ? parse<MutantResult>(block) : undefined;
    if (!result) return;
    results.push(result);
    progress(results.length, chosen.length, `Mutant ${results.length} of ${chosen.length}: ${result.status}`);
  });
  const blocks = outcome.report?.blocks ?? [];
  const baseline = parse<{ status: string; failing?: string[] }>(lastBlocks(blocks).find((b) => b.name === 'baseline'));
  if (!baseline) return finish(chosen, results, driverFailure('The mutation run', outcome));
  if (baseline.status !== 'passed') {
    const which = baseline.failing?.length ? ` (${baseline.failing.join(', ')})` : '';
    return finish(chosen, results, `The tests${which} do not pass when run for the mutation check, so no mutant was tried.`);
  }
  if (outcome.cancelled) return finish(chosen, results, 'The mutation check was cancelled.');
  if (outcome.timedOut) problems.push("The mutation run reached the sandbox's time limit; the mutants left were not run.");
  progress(results.length, chosen.length, `Mutation check done: ${results.filter((r) => r.status === 'killed' || r.status === 'timedOut').length} of ${results.length} mutants caught`);
  return finish(chosen, results);
}
