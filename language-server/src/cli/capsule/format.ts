// How capsule results read on a terminal (the --json forms are the documented shapes instead).
import { counted } from '../../../../protocol/validate';
import type { CapsuleChange, CapsuleVersionSummary, LeftOutFile } from '../../../../protocol/capsuleApi';
import { formatBytes } from '../../capsule/limits';

export const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const ruleName = (rule: string) => rule.replace(/^@secretlint\/secretlint-rule-|^@qlp\//, '');

/** `.env (line 2, 5)`: where a likely secret is, never what it is. */
const where = (file: { path: string; lines?: number[] }) => (file.lines?.length ? `${file.path} (line ${file.lines.join(', ')})` : file.path);

/** One stderr line per file a snapshot, export or push left out, saying why and what to do. */
export function leftOutLines(leftOut: readonly LeftOutFile[], action: 'snapshot' | 'export' | 'push'): string[] {
  return leftOut.map((file) => {
    if (file.reason === 'secret') {
      return `Left out ${where(file)}: it looks like it holds a secret (${(file.rules ?? []).map(ruleName).join(', ')}); pass --include-secrets to keep it in the ${action}.`;
    }
    return `Left out ${file.path}: ${file.reason === 'symlink' ? 'a symbolic link' : 'not a regular file'}; capsules hold regular files only.`;
  });
}

export function versionLine(v: CapsuleVersionSummary): string {
  const validation = v.validation === null ? 'not validated' : `validation ${v.validation}${v.validationScore === null ? '' : ` (${v.validationScore})`}`;
  const cost = v.costUsd === null ? '' : ` · $${v.costUsd.toFixed(4)}`;
  const tags = v.tags.length ? ` [${v.tags.join(', ')}]` : '';
  return `v${v.version}  ${v.createdAt}  ${counted(v.files, 'file')}, ${formatBytes(v.bytes)} · ${v.kind} · ${validation}${cost}${tags}`;
}

const marks: Record<CapsuleChange['status'], string> = { added: 'A', removed: 'D', modified: 'M', mode: 'm' };

export function changeLine(change: CapsuleChange): string {
  const mode = change.status === 'mode' ? ` (${change.before!.mode.toString(8)} → ${change.after!.mode.toString(8)})` : '';
  return `${marks[change.status]} ${change.path}${mode}`;
}

/** Rows padded into columns. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}
