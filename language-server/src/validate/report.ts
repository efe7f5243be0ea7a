// Building a report stage by stage: status from the findings, timing, what the score does not
// cover, and the score at the end.
import { stageIds, toolFailedCode, type Finding, type StageId, type ValidationReport } from '../../../protocol/validate';
import { ToolFailedError, type StageOutcome } from './model';
import { qualityScore } from './score';

const toolNames: Record<string, string> = {
  eslint: 'ESLint',
  ruff: 'Ruff',
  typescript: 'TypeScript',
  pyright: 'pyright',
  secretlint: 'secretlint',
  sandbox: 'The sandbox',
};

/** The first line of an error's message, kept short. */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300) || 'it failed without a message';
}

/** Times a stage; a stage that throws has crashed (unless the run was cancelled). */
export async function timedOutcome(run: () => Promise<StageOutcome>, signal: AbortSignal): Promise<{ outcome: StageOutcome; durationMs: number }> {
  const started = performance.now();
  let outcome: StageOutcome;
  try {
    outcome = await run();
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    outcome = { crashed: firstLine(err), tool: err instanceof ToolFailedError ? err.tool : 'qlp' };
  }
  return { outcome, durationMs: Math.round(performance.now() - started) };
}

/** What a failed tool says, in its stage's reason and in its finding: what was not checked, and why. */
export function crashMessage(tool: string, why: string, consequence: string): string {
  return `${toolNames[tool] ?? 'QLP'} failed, so ${consequence}: ${why}`;
}

/** The error finding a tool that failed leaves on `file` (relative to the root). */
export function toolFailedFinding(stage: StageId, tool: string, file: string, message: string): Finding {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', stage, code: toolFailedCode, source: tool, message };
}

/**
 * Adds a stage's outcome (its findings already tagged with the stage) to the report. A crashed
 * stage fails with an error finding on `crashFile`, the file the run was checking.
 */
export function addStage(report: ValidationReport, stage: StageId, outcome: StageOutcome, findings: Finding[], durationMs: number, crashFile = '.'): void {
  if ('crashed' in outcome) {
    const message = crashMessage(outcome.tool, outcome.crashed, `${stage} was not checked`);
    report.diagnostics.push(toolFailedFinding(stage, outcome.tool, crashFile, message));
    report.stages.push({ stage, status: 'failed', durationMs, reason: message });
    report.unscored.push({ stage, reason: message });
    return;
  }
  if ('skipped' in outcome) {
    report.stages.push({ stage, status: 'skipped', durationMs, reason: outcome.skipped });
    report.unscored.push({ stage, reason: outcome.skipped, ...(outcome.nothingToCheck ? { nothingToCheck: true as const } : {}) });
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

/** Sorts the findings, lists every skipped stage as unscored (once, in stage order) and computes the score. */
export function finishReport(report: ValidationReport): ValidationReport {
  report.diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.stage.localeCompare(b.stage));
  const unscored = [...(report.unscored ?? [])];
  for (const s of report.stages)
    if (s.status === 'skipped' && !unscored.some((u) => u.stage === s.stage)) unscored.push({ stage: s.stage, reason: s.reason ?? 'it was skipped' });
  report.unscored = unscored
    .filter((u, i) => unscored.findIndex((v) => v.stage === u.stage) === i)
    .sort((a, b) => stageIds.indexOf(a.stage) - stageIds.indexOf(b.stage));
  report.score = qualityScore(report);
  return report;
}

/** The first finding of a tool that failed during the run (the command line then exits 3). */
export function toolFailure(report: ValidationReport): Finding | undefined {
  return report.diagnostics.find((f) => f.code === toolFailedCode && f.severity === 'error');
}
