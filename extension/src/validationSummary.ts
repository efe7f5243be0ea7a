// How QLP: Validate workspace reads in its notification and in the output: the counts and words of
// `qlp validate`'s text summary (errors, warnings and notes as the Problems panel groups them), and
// what each score does not cover. Pure (no `vscode`), so it is unit-tested directly.
import type { FolderValidation } from '../../protocol/lsp';
import { counted, findingCounts, notCheckedNote, type UnscoredStage } from '../../protocol/validate';

const folderName = (root: string) => root.split(/[\\/]/).filter(Boolean).pop() ?? root;

/** What a folder's score does not cover (a report without `unscored` lists its skipped stages). */
function unscoredOf(folder: FolderValidation): UnscoredStage[] {
  return folder.unscored ?? folder.stages.filter((s) => s.status === 'skipped').map((s) => ({ stage: s.stage, reason: s.reason ?? 'it was skipped' }));
}

/**
 * `message`: the notification, e.g. "QLP: 12 files validated: 0 errors, 1 warning, 0 notes. Score
 * 100/100 — types and tests not checked."; `reasons`: why each stage was not checked (for the output).
 */
export function workspaceSummary(folders: readonly FolderValidation[]): { message: string; reasons: string } {
  if (folders.length === 0) return { message: 'QLP: there is no workspace folder to validate.', reasons: '' };
  const sum = (key: 'files' | 'errors' | 'warnings' | 'infos') => folders.reduce((n, f) => n + f[key], 0);
  const named = folders.length > 1;
  const scores = folders.map((f) => `${named ? `${folderName(f.root)} ` : ''}${f.score}/100${notCheckedNote(unscoredOf(f))}`).join('; ');
  const tests = folders.flatMap((f) => (f.tests ? [`${named ? `${folderName(f.root)}: ` : ''}${f.tests.passed} passed, ${f.tests.failed} failed`] : []));
  const counts = findingCounts({ errors: sum('errors'), warnings: sum('warnings'), infos: sum('infos') });
  const message = `QLP: ${counted(sum('files'), 'file')} validated: ${counts}. Score ${scores}.${tests.length ? ` Tests: ${tests.join('; ')}.` : ''}`;
  const reasons = folders.flatMap((f) => unscoredOf(f).map((u) => `${named ? `${folderName(f.root)}: ` : ''}${u.stage} (${u.reason})`)).join('; ');
  return { message, reasons: reasons && `Not checked: ${reasons}.` };
}
