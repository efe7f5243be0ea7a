// One repair round: the findings and the failing test output go back to the model, and only the
// affected files are regenerated. Static findings are repaired file by file; failing tests in one
// turn that sees the tests and the code, so the model decides which side is wrong.
import type { Finding } from '../../../protocol/validate';
import { ModelOutputError } from './errors';
import { extractFile, extractFiles } from './fileOutput';
import { checkGeneratedPath } from './pathSafety';
import { repairPrompt, type PromptTurn } from './prompts';
import type { RunContext } from './runContext';
import { amendmentReasons, isTestFile, reviewChange } from './testContract';
import { caseName } from './testEvidence';
import type { Verification } from './verify';
import { inParallel, stageFile } from './writer';

export const findingLine = (f: Pick<Finding, 'file' | 'line' | 'severity' | 'source' | 'code' | 'message'>) =>
  `${f.file}:${f.line} ${f.severity} ${f.source}${f.code ? ` ${f.code}` : ''}: ${f.message}`;

/** The last part of the tests' output, where runners put failures and summaries. */
export function testOutputTail(verification: Verification, maxChars = 6000): string | undefined {
  const run = verification.testRun;
  if (!run || run.status === 'passed') return undefined;
  const text = [run.stdout, run.stderr].filter((s) => s.trim()).join('\n');
  return text.length > maxChars ? `…${text.slice(-maxChars)}` : text || run.error || `exit code ${run.exitCode}`;
}

export interface RepairGroup {
  /** Names the group in turn keys and failure counts: a file's path, or `tests`. */
  id: string;
  files: string[];
  findings: string[];
  testOutput?: string;
}

/** What needs repair after a verification: files with error findings, and the tests when they failed. */
export function repairGroups(ctx: RunContext, verification: Verification): RepairGroup[] {
  const groups: RepairGroup[] = [];
  const errors = verification.report.diagnostics.filter((d) => d.severity === 'error' && ctx.files.has(d.file));
  const byFile = new Map<string, Finding[]>();
  for (const e of errors) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, findings] of byFile) {
    if (findings.every((f) => f.stage === 'tests')) continue;
    groups.push({ id: file, files: [file], findings: findings.filter((f) => f.stage !== 'tests').map(findingLine) });
  }
  const testOutput = testOutputTail(verification);
  if (testOutput !== undefined) {
    const files = ctx.plan!.files.filter((f) => (f.kind === 'code' || f.kind === 'test' || f.kind === 'config') && ctx.files.has(f.path)).map((f) => f.path);
    groups.push({ id: 'tests', files, findings: errors.filter((f) => f.stage === 'tests').map(findingLine), testOutput });
  }
  return groups;
}

/** Fingerprint of what failed, to notice a repair that changed nothing. */
export function failureFingerprint(verification: Verification): string {
  const errors = verification.report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.code}:${d.message}`);
  const run = verification.testRun;
  const failing = (run?.cases ?? []).filter((c) => c.status === 'failed' || c.status === 'error').map(caseName);
  const tests = run && run.status !== 'passed' ? `${run.status}:${failing.length ? failing.sort().join(',') : (run.tests?.failed ?? '')}` : '';
  return JSON.stringify([errors.sort(), tests]);
}

const maxRepairContextChars = 80_000;

async function repairGroup(ctx: RunContext, round: number, group: RepairGroup, escalations: number, changed: Set<string>): Promise<void> {
  let budget = maxRepairContextChars;
  const files = group.files.flatMap((path) => {
    const content = ctx.files.get(path)!;
    if (content.length > budget) return [];
    budget -= content.length;
    return [{ path, content }];
  });
  const prompt: PromptTurn = repairPrompt(ctx.profile, {
    requirements: ctx.requirements,
    plan: ctx.plan!,
    files,
    findings: group.findings,
    ...(group.testOutput ? { testOutput: group.testOutput } : {}),
  });
  const tier = ctx.tierFor('repair', escalations);
  // Only a one-file repair is known to rewrite its file; a test repair shows the files it changed once answered.
  if (group.files.length === 1) ctx.emit({ kind: 'file', path: group.files[0]!, state: 'writing', tier, message: `repair round ${round}` });
  const result = await ctx.turns.complete({
    key: `repair:${round}:${group.id}`,
    task: 'repair',
    tier,
    prompt,
    maxTokens: ctx.limits.maxTokensPerTurn,
    maxChars: ctx.maxAnswerChars * 2,
    signal: ctx.signal,
    onText: (delta) => ctx.emit({ kind: 'text', path: group.files.length === 1 ? group.files[0]! : null, delta }),
  });
  ctx.tiersUsed.add(result.tier);
  const { files: answered, unnamed } = extractFiles(result.text);
  // A one-file repair may come back as a single unnamed block.
  if (!answered.size && unnamed === 1 && group.files.length === 1) answered.set(group.files[0]!, extractFile(result.text, group.files[0]!));
  const planned = new Map(ctx.plan!.files.map((f) => [f.path, f]));
  const reasons = amendmentReasons(result.text);
  for (const [rawPath, file] of answered) {
    const path = checkGeneratedPath(rawPath).path;
    if (!path || !planned.has(path)) {
      ctx.emit({ kind: 'notice', message: `The repair answer wrote ${JSON.stringify(rawPath.slice(0, 80))}, which is not a planned file; it was ignored.` });
      continue;
    }
    if (!file.complete) throw new ModelOutputError(`The repair answer for ${path} was cut off.`);
    if (Buffer.byteLength(file.content) > ctx.limits.maxFileBytes)
      throw new ModelOutputError(`The repaired ${path} is over the ${ctx.limits.maxFileBytes}-byte limit.`);
    if (file.content === ctx.files.get(path)) continue;
    // A test repaired for its own findings states its reason by being the file the findings were about.
    const reason = reasons.get(path) ?? (group.id === path && !group.testOutput ? `fixes its findings: ${group.findings[0] ?? ''}` : undefined);
    const review = ctx.contract
      ? await reviewChange(ctx.contract, { path, after: file.content, isTest: isTestFile(planned.get(path)!), round, reason })
      : { accepted: true as const };
    if (!review.accepted) {
      ctx.emit({ kind: 'notice', message: `Discarded a change to ${path}: ${review.why}.` });
      continue;
    }
    if (review.amendment) ctx.emit({ kind: 'notice', message: `Amended the test ${path} (round ${round}): ${review.amendment.reason}` });
    changed.add(path);
    await stageFile(ctx, path, file.content);
    ctx.emit({ kind: 'file', path, state: 'written', tier: result.tier, model: `${result.provider}:${result.model}`, message: `repaired in round ${round}` });
  }
  if (group.files.length === 1 && !changed.has(group.files[0]!))
    ctx.emit({
      kind: 'file',
      path: group.files[0]!,
      state: 'written',
      tier: result.tier,
      model: `${result.provider}:${result.model}`,
      message: `left unchanged in round ${round}`,
    });
}

/**
 * Repairs every group; returns the files that changed. `failures` counts, per group, the rounds
 * it has failed in, and a group that keeps failing goes to a stronger tier.
 */
export async function repairRound(ctx: RunContext, round: number, groups: RepairGroup[], failures: Map<string, number>): Promise<Set<string>> {
  const changed = new Set<string>();
  await inParallel(groups, ctx.limits.parallelFiles, async (group) => {
    const failed = (failures.get(group.id) ?? 0) + 1;
    failures.set(group.id, failed);
    await repairGroup(ctx, round, group, failed - 1, changed);
  });
  return changed;
}
