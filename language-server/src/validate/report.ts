// Building a report stage by stage: status from the findings, timing, the score at the end.
import type { Finding, StageId, ValidationReport } from '../../../protocol/validate';
import type { StageOutcome } from './model';
import { qualityScore } from './score';

/** Times a stage; a stage that throws is skipped with the reason, unless the run was cancelled. */
export async function timedOutcome(run: () => Promise<StageOutcome>, signal: AbortSignal): Promise<{ outcome: StageOutcome; durationMs: number }> {
  const started = performance.now();
  let outcome: StageOutcome;
  try {
    outcome = await run();
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);
    outcome = { skipped: message || 'the tool failed without a message' };
  }
  return { outcome, durationMs: Math.round(performance.now() - started) };
}

/** Adds a stage's outcome (its findings already tagged with the stage) to the report. */
export function addStage(report: ValidationReport, stage: StageId, outcome: StageOutcome, findings: Finding[], durationMs: number): void {
  if ('skipped' in outcome) {
    report.stages.push({ stage, status: 'skipped', durationMs, reason: outcome.skipped });
    if (outcome.testRun) report.testRun = outcome.testRun;
    return;
  }
  report.diagnostics.push(...findings);
  if (outcome.tests) report.tests = outcome.tests;
  if (outcome.coverage !== undefined) report.coverage = outcome.coverage;
  if (outcome.testRun) report.testRun = outcome.testRun;
  const failed = findings.some((f) => f.severity === 'error') || (stage === 'tests' && (outcome.tests?.failed ?? 0) > 0);
  report.stages.push({ stage, status: failed ? 'failed' : 'passed', durationMs, ...(outcome.note ? { reason: outcome.note } : {}) });
}

/** Sorts the findings and computes the score. */
export function finishReport(report: ValidationReport): ValidationReport {
  report.diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.stage.localeCompare(b.stage));
  report.score = qualityScore(report);
  return report;
}
