// Verify → repair rounds, then the mutation check. Each round validates the staged project, runs
// its tests in the sandbox and judges the run against the frozen tests; failures go back to the
// model. A failure set seen in any earlier round ends the loop (repairs going in circles never
// climb to a dearer tier). Only a run that passes everything has its tests' strength measured.
import type { MutationSummary } from '../../../protocol/generate';
import { throwIfAborted } from '../common/cancellation';
import { codeUnderTest } from './codeUnderTest';
import { generationCancelled } from './errors';
import { caseFile, passesChecks, reportVerification } from './outcome';
import { failureFingerprint, repairGroups, repairRound } from './repair';
import type { RunContext } from './runContext';
import { isTestFile } from './testContract';
import { judgeTestRun, type TestEvidence } from './testEvidence';
import type { Verification, Verifier } from './verify';

/** Where the loop is: kept up to date round by round, so a run stopped midway still reports its last verification. */
export interface LoopOutcome {
  verification: Verification | undefined;
  evidence: TestEvidence | undefined;
  /** Code files the last round's failing tests reach. */
  blamed: ReadonlySet<string>;
  rounds: number;
}

/** The run's test files (as the contract has them) or its code files (planned as code, not tests), with their contents. */
function filesOf(ctx: RunContext, kind: 'code' | 'test'): Map<string, string> {
  const wanted = (f: { path: string; kind: string }) => (kind === 'test' ? isTestFile(f) : f.kind === 'code' && !isTestFile(f));
  return new Map(ctx.plan!.files.filter((f) => wanted(f) && ctx.files.has(f.path)).map((f) => [f.path, ctx.files.get(f.path)!]));
}

/** Code files that the failing tests' files import. */
async function blamedCode(ctx: RunContext, v: Verification): Promise<Set<string>> {
  const failingFiles = new Set((v.testRun?.cases ?? []).filter((c) => c.status === 'failed' || c.status === 'error').map(caseFile));
  const tests = new Map([...filesOf(ctx, 'test')].filter(([path]) => failingFiles.has(path)));
  return new Set(tests.size ? await codeUnderTest(tests, filesOf(ctx, 'code')) : []);
}

export async function verifyAndRepair(ctx: RunContext, verifier: Verifier, tests: boolean, reasons: string[], outcome: LoopOutcome): Promise<void> {
  const failures = new Map<string, number>();
  const seen = new Map<string, number>();
  let collected = 0;
  for (;;) {
    const { rounds } = outcome;
    throwIfAborted(ctx.signal, generationCancelled);
    ctx.emit({ kind: 'phase', phase: 'verify', message: rounds ? `Checking the repairs of round ${rounds}` : 'Validating the files and running the tests' });
    const verification = await verifier.verify(ctx.staging, {
      tests,
      signal: ctx.signal,
      progress: (message) => ctx.emit({ kind: 'phase', phase: 'verify', message }),
    });
    const evidence = verification.testRun && ctx.contract ? judgeTestRun(verification.testRun, ctx.contract, collected) : undefined;
    collected = Math.max(collected, evidence?.collected ?? 0);
    Object.assign(outcome, { verification, evidence, blamed: await blamedCode(ctx, verification) });
    reportVerification(ctx, verification, rounds, evidence, outcome.blamed);
    const groups = repairGroups(ctx, verification);
    if (!groups.length) return;
    const fingerprint = failureFingerprint(verification);
    const earlier = seen.get(fingerprint);
    if (earlier !== undefined) {
      reasons.push(
        earlier === rounds - 1
          ? 'the same failures came back after a repair'
          : `round ${rounds} brought back the failures of round ${earlier}: the repairs go in circles`,
      );
      return;
    }
    if (rounds >= ctx.limits.maxRepairRounds) {
      reasons.push(`failures remain after ${rounds} repair rounds (qlp.generate.maxRepairRounds)`);
      return;
    }
    seen.set(fingerprint, rounds);
    outcome.rounds = rounds + 1;
    ctx.emit({ kind: 'phase', phase: 'repair', message: `Repair round ${outcome.rounds}: ${groups.map((g) => g.id).join(', ')}` });
    await repairRound(ctx, outcome.rounds, groups, failures);
  }
}

/** Runs the tests against mutants of the code they reach, when everything else has passed. */
export async function checkMutation(ctx: RunContext, verifier: Verifier, outcome: LoopOutcome, reasons: string[]): Promise<MutationSummary | null> {
  if (!passesChecks(outcome.verification, reasons, outcome.evidence)) return null;
  const tests = filesOf(ctx, 'test');
  const files = await codeUnderTest(tests, filesOf(ctx, 'code'));
  const summary: MutationSummary = {
    score: 0,
    mutants: 0,
    killed: 0,
    survived: 0,
    notRun: 0,
    minScore: ctx.limits.minMutationScore,
    files,
    durationMs: 0,
    survivors: [],
  };
  if (files.length) {
    ctx.emit({ kind: 'phase', phase: 'verify', message: `Checking the tests' strength: up to ${ctx.limits.maxMutants} mutants of ${files.join(', ')}` });
    try {
      const report = await verifier.mutate(ctx.staging, {
        codeFiles: files,
        testFiles: [...tests.keys()],
        maxMutants: ctx.limits.maxMutants,
        signal: ctx.signal,
        progress: (message) => ctx.emit({ kind: 'phase', phase: 'verify', message }),
      });
      Object.assign(summary, {
        score: report.score,
        mutants: report.killed + report.timedOut + report.survived,
        killed: report.killed + report.timedOut,
        survived: report.survived,
        notRun: report.notRun + report.errors,
        ...(report.error ? { error: report.error } : {}),
        durationMs: report.durationMs,
        survivors: report.survivors.slice(0, 20).map((s) => `${s.file}:${s.line} ${s.operator} (${s.original} → ${s.mutated})`),
      });
    } catch (err) {
      throwIfAborted(ctx.signal, generationCancelled);
      summary.error = `the mutation check could not run: ${(err as Error).message}`;
    }
  }
  ctx.emit({ kind: 'mutation', mutation: summary });
  return summary;
}
