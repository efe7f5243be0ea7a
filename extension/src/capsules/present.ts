// How capsules read in the editor: labels, descriptions, icons and messages. Pure functions (no
// `vscode`), so they are unit-tested directly.
import type { ArchiveFormat, CapsuleSummary, CapsuleVersionSummary, LeftOutFile, SecretFinding } from '../../../protocol/capsuleApi';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return days === 1 ? 'yesterday' : `${days} days ago`;
  return iso.slice(0, 10);
}

export function versionLabel(v: CapsuleVersionSummary): string {
  return v.tags.length ? `v${v.version} (${v.tags.join(', ')})` : `v${v.version}`;
}

/** e.g. `5 min ago · 12 files · $0.0123`, or `… · snapshot, not validated`. */
export function versionDescription(v: CapsuleVersionSummary, now = Date.now()): string {
  const parts = [relativeTime(v.createdAt, now), plural(v.files, 'file')];
  if (v.costUsd !== null) parts.push(`$${v.costUsd.toFixed(4)}`);
  if (v.validation === null) parts.push(v.kind === 'snapshot' ? 'snapshot, not validated' : 'not validated');
  else parts.push(`validation ${v.validation}${v.validationScore === null ? '' : ` ${v.validationScore}`}`);
  return parts.join(' · ');
}

/** A codicon and its theme colour: passed, failed, or honestly not validated. */
export function versionIcon(v: CapsuleVersionSummary): { id: string; color?: string } {
  if (v.validation === 'passed') return { id: 'pass', color: 'testing.iconPassed' };
  if (v.validation === 'failed') return { id: 'error', color: 'testing.iconFailed' };
  return { id: 'circle-large-outline' };
}

export function versionTooltip(capsule: CapsuleSummary, v: CapsuleVersionSummary): string {
  const lines = [
    `**${capsule.name}** version ${v.version}${v.parentVersion ? ` (after v${v.parentVersion})` : ''}`,
    `Created ${new Date(v.createdAt).toLocaleString()}`,
    `${plural(v.files, 'file')}, ${formatBytes(v.bytes)}`,
    v.kind === 'snapshot' ? 'A snapshot of a folder: not generated, not validated.' : `Generated${v.costUsd === null ? '' : ` for $${v.costUsd.toFixed(4)}`}.`,
  ];
  if (v.validation !== null) lines.push(`Validation ${v.validation}${v.validationScore === null ? '' : ` (score ${v.validationScore})`}.`);
  if (v.tags.length) lines.push(`Tags: ${v.tags.join(', ')}`);
  return lines.join('\n\n');
}

export function capsuleDescription(c: CapsuleSummary): string {
  const latest = c.versions[0];
  return latest ? `v${latest.version} · ${relativeTime(latest.createdAt)} · ${plural(c.versions.length, 'version')}` : 'no versions';
}

export const archiveChoices: ReadonlyArray<{ format: ArchiveFormat; label: string; extension: string; detail: string }> = [
  { format: 'zip', label: 'ZIP', extension: 'zip', detail: 'Opens anywhere; keeps file modes for unzip and QLP.' },
  { format: 'tar', label: 'TAR', extension: 'tar', detail: 'Uncompressed tar with file modes.' },
  { format: 'tgz', label: 'TAR.GZ', extension: 'tar.gz', detail: 'Gzip-compressed tar with file modes.' },
];

export function archiveFileName(name: string, version: number, format: ArchiveFormat): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'capsule';
  return `${base}-v${version}.${archiveChoices.find((c) => c.format === format)!.extension}`;
}

const ruleName = (rule: string) => rule.replace(/^@secretlint\/secretlint-rule-|^@qlp\//, '');

/** The most files a warning lists one by one. */
const listedAtMost = 20;

/** One line per file: its path, what was found and on which lines. */
function findingLines(findings: readonly SecretFinding[]): string[] {
  const shown = findings.slice(0, listedAtMost).map((f) => `• ${f.path} (${f.rules.map(ruleName).join(', ')}, line ${f.lines.join(', ')})`);
  if (findings.length > shown.length) shown.push(`• and ${findings.length - shown.length} more`);
  return shown;
}

/** The modal warning before files that look like they hold secrets could be shipped. */
export function secretsWarning(findings: readonly SecretFinding[]): { message: string; detail: string } {
  const one = findings.length === 1;
  return {
    message: `${plural(findings.length, 'file')} ${one ? 'looks' : 'look'} like ${one ? 'it holds' : 'they hold'} a secret.`,
    detail: `${findingLines(findings).join('\n')}\n\nQLP leaves ${one ? 'it' : 'them'} out unless you include ${one ? 'it' : 'them'}.`,
  };
}

const whichFiles = (findings: readonly SecretFinding[]) => (findings.length === 1 ? findings[0].path.split('/').pop()! : plural(findings.length, 'file'));

/** The warning's buttons, saying what each does: "Leave out billing.ts" / "Include billing.ts", or "… 3 files". */
export function secretChoices(findings: readonly SecretFinding[]): { leave: string; include: string } {
  return { leave: `Leave out ${whichFiles(findings)}`, include: `Include ${whichFiles(findings)}` };
}

export function leftOutNote(leftOut: readonly LeftOutFile[]): string {
  if (leftOut.length === 0) return '';
  const secrets = leftOut.filter((l) => l.reason === 'secret').length;
  const others = leftOut.length - secrets;
  const parts = [];
  if (secrets) parts.push(secrets === 1 ? '1 file that looks like it holds a secret' : `${secrets} files that look like they hold secrets`);
  if (others) parts.push(`${plural(others, 'link or special file')}`);
  return ` Left out ${parts.join(' and ')}: ${leftOut
    .map((l) => l.path)
    .slice(0, 5)
    .join(', ')}${leftOut.length > 5 ? ', …' : ''}.`;
}
