import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, StageId, StageReport } from '../../../protocol/validate';
import { qualityScore, stageCaps } from '../../../language-server/src/validate/score';

const finding = (stage: StageId, severity: Finding['severity']): Finding => ({
  file: 'a.ts',
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  stage,
  severity,
  source: 'test',
  message: 'm',
});
const ran = (...stages: StageId[]): StageReport[] => stages.map((stage) => ({ stage, status: 'passed', durationMs: 1 }));
const all = ran('syntax', 'lint', 'types', 'security');

describe('quality score', () => {
  it('is 100 with nothing found, and ignores info findings', () => {
    assert.equal(qualityScore({ diagnostics: [], stages: all }), 100);
    assert.equal(qualityScore({ diagnostics: [finding('lint', 'info')], stages: all }), 100);
  });

  it('weighs errors over warnings and syntax or security over lint', () => {
    const score = (f: Finding) => qualityScore({ diagnostics: [f], stages: all });
    assert.ok(score(finding('lint', 'error')) < score(finding('lint', 'warning')));
    assert.ok(score(finding('syntax', 'error')) < score(finding('types', 'error')));
    assert.ok(score(finding('security', 'error')) < score(finding('lint', 'error')));
  });

  it('never lets one stage take more than its cap, however many findings it has', () => {
    const many = Array.from({ length: 5000 }, () => finding('lint', 'error'));
    assert.equal(qualityScore({ diagnostics: many, stages: all }), 100 - stageCaps.lint);
    const everything = (['syntax', 'lint', 'types', 'security'] as StageId[]).flatMap((s) => Array.from({ length: 5000 }, () => finding(s, 'error')));
    assert.equal(qualityScore({ diagnostics: everything, stages: all }), 0);
  });

  it('counts only stages that ran: a skipped stage measured nothing', () => {
    const stages: StageReport[] = [...ran('syntax'), { stage: 'types', status: 'skipped', durationMs: 0, reason: 'no files' }];
    assert.equal(qualityScore({ diagnostics: [finding('types', 'error')], stages }), 100);
  });

  it('takes failing tests by their share, and measured coverage', () => {
    const stages = [...all, { stage: 'tests' as const, status: 'failed' as const, durationMs: 5 }];
    assert.equal(qualityScore({ diagnostics: [], stages, tests: { passed: 3, failed: 1, skipped: 0 } }), 100 - stageCaps.tests / 4);
    assert.equal(qualityScore({ diagnostics: [], stages, tests: { passed: 4, failed: 0, skipped: 0 }, coverage: 0.5 }), 95);
  });
});
