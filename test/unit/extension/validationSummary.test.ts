// QLP: Validate workspace's notification: the words of `qlp validate`'s summary, what each score
// does not cover, and counts that are those of the findings the Problems panel shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FolderValidation } from '../../../protocol/lsp';
import { findingCounts, type Finding, type FindingSeverity, type ValidationReport } from '../../../protocol/validate';
import { toText } from '../../../language-server/src/cli/validateFormats';
import { validationSettings } from '../../../language-server/src/validate/settings';
import { ValidationHost } from '../../../language-server/src/validate/validationHost';
import { workspaceSummary } from '../../../extension/src/validationSummary';

const finding = (file: string, severity: FindingSeverity): Finding => ({
  file,
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  severity,
  stage: 'lint',
  source: 'eslint',
  message: `${severity} in ${file}`,
});

function report(diagnostics: Finding[], unscored: ValidationReport['unscored'] = []): ValidationReport {
  return {
    diagnostics,
    stages: [
      { stage: 'syntax', status: 'passed', durationMs: 1 },
      { stage: 'lint', status: diagnostics.some((f) => f.severity === 'error') ? 'failed' : 'passed', durationMs: 1 },
      ...unscored.map((u) => ({ stage: u.stage, status: 'skipped' as const, durationMs: 0, reason: u.reason })),
    ],
    score: 100,
    unscored,
    files: 3,
  };
}

/** What the workspace command receives for `reports` (root → report), and what the Problems panel then shows. */
async function validated(reports: Record<string, ValidationReport>): Promise<{ folders: FolderValidation[]; problems: Map<string, Finding[]> }> {
  const problems = new Map<string, Finding[]>();
  const host = new ValidationHost({
    validate: async (input) => reports[input.root],
    settings: async () => validationSettings({}),
    publish: (path, findings) => problems.set(path, findings),
    log: () => undefined,
  });
  host.setRoots(Object.keys(reports));
  return { folders: await host.validateWorkspace(undefined, new AbortController().signal, () => undefined), problems };
}

const problemCounts = (problems: Map<string, Finding[]>) => {
  const all = [...problems.values()].flat();
  const count = (severity: FindingSeverity) => all.filter((f) => f.severity === severity).length;
  return findingCounts({ errors: count('error'), warnings: count('warning'), infos: count('info') });
};

describe('the Validate workspace notification', () => {
  const notChecked = [
    { stage: 'types' as const, reason: 'no TypeScript or Python files', nothingToCheck: true as const },
    { stage: 'tests' as const, reason: 'the workspace is not trusted' },
  ];

  it('says which stages were not checked, in the words of qlp validate', async () => {
    const single = report([finding('a.ts', 'error'), finding('a.ts', 'warning'), finding('b.ts', 'info')], notChecked);
    const { folders } = await validated({ '/ws': single });
    const { message, reasons } = workspaceSummary(folders);
    assert.equal(message, 'QLP: 3 files validated: 1 error, 1 warning, 1 note. Score 100/100 — types and tests not checked.');
    const cliLast = toText(single).split('\n').at(-1)!;
    assert.equal(cliLast, '3 files: 1 error, 1 warning, 1 note. Score 100/100 — types and tests not checked.');
    assert.ok(message.endsWith(cliLast.slice('3 files: '.length)), `${message}\n${cliLast}`);
    assert.equal(reasons, 'Not checked: types (no TypeScript or Python files); tests (the workspace is not trusted).');
  });

  it('says nothing of coverage when every stage was checked, and names folders when there are several', async () => {
    const { folders } = await validated({ '/ws/app': report([]), '/ws/lib': report([finding('x.py', 'warning')], [notChecked[1]]) });
    const { message, reasons } = workspaceSummary(folders);
    assert.equal(message, 'QLP: 6 files validated: 0 errors, 1 warning, 0 notes. Score app 100/100; lib 100/100 — tests not checked.');
    assert.equal(reasons, 'Not checked: lib: tests (the workspace is not trusted).');
    assert.equal(workspaceSummary([]).message, 'QLP: there is no workspace folder to validate.');
  });

  it("counts what the Problems panel shows, a nested workspace folder's files once", async () => {
    // The outer folder's run sees the nested folder's files too; the nested folder's own run shows them.
    const outer = report([finding('src/a.ts', 'error'), finding('packages/lib/x.ts', 'error'), finding('packages/lib/x.ts', 'warning')]);
    const nested = report([finding('x.ts', 'error'), finding('x.ts', 'warning'), finding('y.ts', 'info')]);
    const { folders, problems } = await validated({ '/ws': outer, '/ws/packages/lib': nested });
    assert.deepEqual([...problems.keys()].sort(), ['/ws/packages/lib/x.ts', '/ws/packages/lib/y.ts', '/ws/src/a.ts']);
    assert.equal(problemCounts(problems), '2 errors, 1 warning, 1 note');
    assert.match(workspaceSummary(folders).message, new RegExp(`validated: ${problemCounts(problems)}\\.`));
  });

  it('lists the skipped stages of a report that does not carry unscored', () => {
    const folder: FolderValidation = {
      root: '/ws',
      files: 1,
      errors: 0,
      warnings: 0,
      infos: 0,
      score: 100,
      stages: [{ stage: 'tests', status: 'skipped', durationMs: 0, reason: 'no tests found' }],
    };
    assert.equal(workspaceSummary([folder]).message, 'QLP: 1 file validated: 0 errors, 0 warnings, 0 notes. Score 100/100 — tests not checked.');
  });
});
