// How the Capsules view's rows read: short enough for a narrow sidebar (the tooltip holds the
// rest), with a cost a person reads at a glance — `free` for a run that cost nothing (a local
// model, a replay), dollars otherwise. Pure: no `vscode`, unit-tested.
import type { CapsuleSummary, CapsuleVersionSummary } from '../../../protocol/capsuleApi';
import { formatUsd } from '../../../protocol/llm';
import { relativeTime, versionTooltip } from '../capsules/present';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** `free`, `$0.0012`, `$1.25`; nothing for a version that records no cost (a snapshot). */
export function costText(usd: number | null): string | undefined {
  if (usd === null) return undefined;
  return usd === 0 ? 'free' : formatUsd(usd);
}

function validationText(v: CapsuleVersionSummary, short: boolean): string {
  if (v.validation === null) return v.kind === 'snapshot' ? (short ? 'snapshot' : 'snapshot, not validated') : 'not validated';
  // The row's icon says passed or failed; the short form gives the score.
  if (short) return v.validationScore === null ? v.validation : `${v.validationScore}/100`;
  return `validation ${v.validation}${v.validationScore === null ? '' : ` ${v.validationScore}`}`;
}

/**
 * The row, `12 files · free · 92/100 · 5 min ago`, fits a sidebar of default width (the age, last,
 * is what a narrower one cuts). `long` spells everything out, age first, for screen readers.
 */
export function versionRowDescription(v: CapsuleVersionSummary, long = false, now = Date.now()): string {
  const parts = [plural(v.files, 'file'), costText(v.costUsd), validationText(v, !long)];
  const age = relativeTime(v.createdAt, now);
  return (long ? [age, ...parts] : [...parts, age]).filter(Boolean).join(' · ');
}

/** The tooltip: the version's details, its cost as the row reads it. */
export function versionRowTooltip(capsule: CapsuleSummary, v: CapsuleVersionSummary): string {
  const cost = costText(v.costUsd);
  return `${versionTooltip(capsule, { ...v, costUsd: null })}${cost ? `\n\nCost: ${cost}` : ''}`;
}

/** A capsule's row: `3 versions · 5 min ago` (its newest version's time). */
export function capsuleRowDescription(c: CapsuleSummary, now = Date.now()): string {
  const latest = c.versions[0];
  return latest ? `${plural(c.versions.length, 'version')} · ${relativeTime(latest.createdAt, now)}` : 'no versions';
}
