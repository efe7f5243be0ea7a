// The plan out of a model's answer: the `write_plan` tool call when the provider has tools, else
// JSON in the text (tolerant). Every path is checked; hostile, duplicate or clashing entries are
// dropped with a notice, the stack's required files are added, and the count is capped.
import { fileKinds, kindOfPath, type FileKind, type PlannedFile, type ProjectPlan } from '../../../protocol/generate';
export { kindOfPath } from '../../../protocol/generate';
import { ModelOutputError } from './errors';
import { extractJsonObject, parseLenient } from './jsonText';
import { checkGeneratedPath } from './pathSafety';
import type { StackProfile } from './stacks';

export interface PlanAnswer {
  text: string;
  toolCalls: Array<{ name: string; arguments: string }>;
}

export interface ParsedPlan {
  plan: ProjectPlan;
  notices: string[];
}

const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value.trim() : fallback);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];

function rawPlan(answer: PlanAnswer): Record<string, unknown> {
  const call = answer.toolCalls.find((c) => c.name === 'write_plan') ?? answer.toolCalls[0];
  const fromTool = call ? parseLenient(call.arguments) : undefined;
  const raw = fromTool && typeof fromTool === 'object' ? fromTool : extractJsonObject(answer.text);
  if (!raw || typeof raw !== 'object') throw new ModelOutputError('The model\'s plan held no JSON object with a "files" list.');
  return raw as Record<string, unknown>;
}

function plannedFile(entry: unknown): { raw: unknown; purpose: string; kind?: FileKind } {
  if (typeof entry === 'string') return { raw: entry, purpose: '' };
  if (entry && typeof entry === 'object') {
    const e = entry as Record<string, unknown>;
    const kind = fileKinds.find((k) => k === e.kind);
    return { raw: e.path ?? e.file ?? e.name, purpose: text(e.purpose ?? e.description), ...(kind ? { kind } : {}) };
  }
  return { raw: entry, purpose: '' };
}

export function parsePlan(answer: PlanAnswer, profile: StackProfile, maxFiles: number): ParsedPlan {
  const raw = rawPlan(answer);
  const entries = Array.isArray(raw.files) ? raw.files : undefined;
  if (!entries) throw new ModelOutputError('The model\'s plan has no "files" list.');
  const notices: string[] = [];
  const files: PlannedFile[] = [];
  const taken = new Set<string>();
  const add = (file: PlannedFile, origin: string) => {
    const key = file.path.toLowerCase();
    if (taken.has(key)) return notices.push(`${origin} lists ${file.path} twice; the first entry is kept.`);
    const clash = [...taken].find((t) => t.startsWith(`${key}/`) || key.startsWith(`${t}/`));
    if (clash) return notices.push(`${origin} uses ${file.path} as a file and a folder; it was dropped.`);
    taken.add(key);
    files.push(file);
  };
  for (const entry of entries) {
    const { raw: path, purpose, kind } = plannedFile(entry);
    const verdict = checkGeneratedPath(path);
    if (verdict.path === undefined) {
      notices.push(`The plan's path ${JSON.stringify(String(path).slice(0, 80))} ${verdict.refused}; it was dropped.`);
      continue;
    }
    add({ path: verdict.path, purpose, kind: kind ?? kindOfPath(verdict.path) }, 'The plan');
  }
  for (const required of profile.requiredFiles) {
    if (!taken.has(required.path.toLowerCase())) {
      add(required, 'The stack');
      notices.push(`Added ${required.path}, which every ${profile.label} has.`);
    }
  }
  if (files.length > maxFiles) {
    notices.push(`The plan lists ${files.length} files; only the first ${maxFiles} (qlp.generate.maxFiles) are kept.`);
    files.length = maxFiles;
  }
  const deps = (raw.dependencies ?? {}) as Record<string, unknown>;
  const commands = (raw.commands ?? {}) as Record<string, unknown>;
  return {
    plan: {
      stack: profile.id,
      summary: text(raw.summary ?? raw.description, 'A generated project.'),
      files,
      dependencies: { runtime: strings(Array.isArray(deps) ? deps : deps.runtime), dev: strings(deps.dev) },
      commands: {
        install: text(commands.install, profile.commands.install),
        test: text(commands.test, profile.commands.test),
        run: text(commands.run, profile.commands.run),
      },
    },
    notices,
  };
}

/** The plan a user edited in the panel: checked again like a model's (the user's edits are input too). */
export function checkEditedPlan(plan: ProjectPlan, profile: StackProfile, maxFiles: number): ParsedPlan {
  return parsePlan({ text: '', toolCalls: [{ name: 'write_plan', arguments: JSON.stringify(plan) }] }, profile, maxFiles);
}
