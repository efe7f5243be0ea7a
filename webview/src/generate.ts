// The generation panel: requirements, stack, tier and folder; then the plan to approve, each
// file's state and the model that wrote it, streamed output, checks, tests, cost against the
// budget, and the outcome with its actions. Ctrl+Enter starts, Escape cancels a running run.
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { mutationSentence, type FileState, type GenerationEvent, type GenerationResult, type GenerationUsage, type ProjectPlan, type StackSummary } from '../../protocol/generate';
import { formatUsd } from '../../protocol/llm';
import type { GeneratePanelFromWebview, GeneratePanelToWebview, MessageOf } from '../../protocol/webview';
import { button, el, icon } from './dom';
import { planView } from './generatePlan';
import { announceReady, onMessage, post } from './vscodeApi';

type Send = MessageOf<GeneratePanelFromWebview>;
const send = (message: Send) => post<GeneratePanelFromWebview>(message);
interface Field extends HTMLElement {
  value: string;
}

const root = document.getElementById('root') as HTMLElement;
const maxOutputChars = 20_000;
const fileIcons: Record<FileState, string> = { pending: 'circle-large-outline', writing: 'loading codicon-modifier-spin', written: 'circle-large-filled', validated: 'pass', failed: 'error' };

// The parts of the page, filled as the run goes.
const form = el('section', { className: 'form' });
const status = el('p', { className: 'status', role: 'status' });
const planSlot = el('div');
const files = el('ul', { className: 'files', ariaLabel: 'Files' });
const output = el('pre', { className: 'output', tabIndex: 0, ariaLabel: 'Model output' });
const checks = el('ul', { className: 'checks' });
const cost = el('div', { className: 'cost' });
const outcome = el('section', { className: 'outcome' });
const cancel = button('Cancel', () => send({ type: 'cancel' }), true);
cancel.hidden = true;
const fileRows = new Map<string, HTMLElement>();
const fileWriters = new Map<string, string>();
let running = false;
/** The plan last shown, and whether it is still open for edits. */
let shownPlan: ProjectPlan | undefined;
let planEditable = false;
let lastOutputPath: string | null | undefined;

function radio(value: string, label: string, checked: boolean): HTMLElement {
  const r = document.createElement('vscode-radio');
  r.setAttribute('name', 'stack');
  r.setAttribute('value', value);
  r.setAttribute('label', label);
  if (checked) r.setAttribute('checked', '');
  return r;
}

function renderForm(stacks: StackSummary[], defaultStack: string, folder: string, requirements: string): void {
  const text = document.createElement('vscode-textarea') as Field;
  text.id = 'requirements';
  text.setAttribute('rows', '6');
  text.setAttribute('aria-label', 'Requirements');
  text.setAttribute('placeholder', 'Describe the project: what it does, its commands or endpoints, its tests. Ctrl+Enter starts.');
  text.value = requirements;
  const stackGroup = document.createElement('vscode-radio-group');
  stackGroup.setAttribute('aria-label', 'Stack');
  stackGroup.setAttribute('variant', 'vertical');
  stackGroup.append(radio('auto', 'Detect from the requirements', defaultStack === 'auto'), ...stacks.map((s) => radio(s.id, s.label, s.id === defaultStack)));
  const tier = document.createElement('vscode-single-select') as Field;
  tier.setAttribute('aria-label', 'Model tier');
  for (const [value, label] of [['auto', 'Routed per task (default)'], ['T0', 'T0 cheapest'], ['T1', 'T1'], ['T2', 'T2'], ['T3', 'T3 strongest']]) {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', value);
    option.textContent = label;
    tier.append(option);
  }
  const target = document.createElement('vscode-textfield') as Field;
  target.setAttribute('aria-label', 'Target folder in the workspace');
  target.value = folder;
  const start = () => {
    if (running) return;
    const stack = [...stackGroup.querySelectorAll('vscode-radio')].find((r) => (r as HTMLElement & { checked: boolean }).checked)?.getAttribute('value') ?? 'auto';
    send({ type: 'start', requirements: text.value.trim(), stack, tier: (tier.value || 'auto') as 'auto', folder: target.value });
  };
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      start();
    }
  });
  form.replaceChildren(
    el('label', { htmlFor: 'requirements' }, 'Requirements'),
    text,
    el('div', { className: 'row' }, el('div', {}, el('span', { className: 'label' }, 'Stack'), stackGroup), el('div', {}, el('span', { className: 'label' }, 'Model tier'), tier, el('span', { className: 'label' }, 'Folder'), target)),
    el('div', { className: 'actions' }, button('Generate', start)),
  );
}

function setRunning(on: boolean, message: string, iconName = on ? 'loading codicon-modifier-spin' : 'info'): void {
  running = on;
  cancel.hidden = !on;
  form.toggleAttribute('inert', on);
  status.replaceChildren(icon(iconName), ` ${message}`, ' ', cancel);
}

function fileRow(path: string): HTMLElement {
  let row = fileRows.get(path);
  if (!row) {
    row = el('li');
    fileRows.set(path, row);
    files.append(row);
  }
  return row;
}

function appendOutput(path: string | null, delta: string): void {
  if (path !== lastOutputPath) {
    output.append(`\n── ${path ?? 'plan'} ──\n`);
    lastOutputPath = path;
  }
  output.append(delta);
  if ((output.textContent ?? '').length > maxOutputChars) output.textContent = (output.textContent ?? '').slice(-maxOutputChars);
  output.scrollTop = output.scrollHeight;
}

function meter(usage: GenerationUsage): void {
  const share = usage.budgetUsd > 0 ? Math.min(1, usage.costUsd / usage.budgetUsd) : 0;
  const fill = el('div', { className: 'fill' });
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  cost.replaceChildren(
    el('p', {}, icon('credit-card'), ` Cost ${formatUsd(usage.costUsd)}${usage.budgetUsd > 0 ? ` of ${formatUsd(usage.budgetUsd)} budget` : ' (no budget)'} · ${usage.calls} calls · ${usage.inputTokens + usage.outputTokens} tokens`),
    el('div', { className: share >= 0.8 ? 'meter near' : 'meter', role: 'meter', ariaValueNow: String(Math.round(share * 100)), ariaValueMin: '0', ariaValueMax: '100', ariaLabel: 'Share of the generation budget spent' }, fill),
  );
}

function check(ok: boolean, text: string, detail?: string): HTMLElement {
  const item = el('li', { className: ok ? 'ok' : 'missing' }, icon(ok ? 'pass' : 'warning'), el('span', {}, text));
  if (detail) item.append(el('details', {}, el('summary', {}, 'Output'), el('pre', { className: 'output' }, detail)));
  return item;
}

function onEvent(event: GenerationEvent): void {
  switch (event.kind) {
    case 'phase':
      if (event.phase !== 'approve') lockPlan();
      return setRunning(true, event.message);
    case 'plan':
      shownPlan = event.plan;
      return void planSlot.replaceChildren(el('p', { className: 'muted' }, `Planned by ${event.tier} ${event.model}`), planView(event.plan));
    case 'file': {
      // Later states (validated, failed) do not repeat who wrote the file: remember it.
      if (event.tier) fileWriters.set(event.path, `${event.tier} ${event.model ?? ''}`.trim());
      const writer = fileWriters.get(event.path);
      const by = writer ? ` · ${writer}` : '';
      const size = event.bytes !== undefined ? ` · ${event.bytes} bytes` : '';
      return void fileRow(event.path).replaceChildren(icon(fileIcons[event.state]), ' ', el('code', {}, event.path), el('span', { className: `file-state ${event.state}` }, ` ${event.state}${by}${size}${event.message ? ` — ${event.message}` : ''}`));
    }
    case 'text':
      return appendOutput(event.path, event.delta);
    case 'validation':
      return void checks.append(check(event.errors === 0, `Validation, round ${event.round}: score ${event.score}, ${event.errors} errors, ${event.warnings} warnings`, event.findings.slice(0, 20).map((f) => `${f.file}:${f.line} ${f.severity} ${f.source}${f.code ? `/${f.code}` : ''}: ${f.message}`).join('\n') || undefined));
    case 'tests': {
      const counts = event.tests ? `${event.tests.passed} passed, ${event.tests.failed} failed, ${event.tests.skipped} skipped` : 'no counts';
      const item = check(event.status === 'passed' && !event.problems?.length, `Tests, round ${event.round}: ${event.status} (${counts}) in the ${event.sandbox} sandbox, ${(event.durationMs / 1000).toFixed(1)} s`, event.outputTail || undefined);
      const notes = [...(event.failing ?? []).map((f) => `Failing: ${f}`), ...(event.problems ?? []).map((p) => `Not counted as evidence: ${p}`)];
      if (notes.length) item.append(el('ul', { className: 'test-notes' }, ...notes.map((n) => el('li', {}, n))));
      return void checks.append(item);
    }
    case 'mutation':
      return void checks.append(check(event.mutation.mutants > 0 && event.mutation.score >= event.mutation.minScore, mutationSentence(event.mutation), event.mutation.survivors.length ? `Not caught:\n${event.mutation.survivors.join('\n')}` : undefined));
    case 'usage':
      return meter(event.usage);
    case 'notice':
      return void checks.append(el('li', {}, icon('info'), el('span', {}, event.message)));
  }
}

/** Shows `plan` (by default the one on screen) read-only: it was approved, refused or the run ended. */
function lockPlan(plan = shownPlan): void {
  if (!planEditable || !plan) return;
  planEditable = false;
  shownPlan = plan;
  planSlot.replaceChildren(planView(plan));
}

function showResult(result: GenerationResult): void {
  const verified = result.status === 'verified';
  setRunning(false, verified ? 'Verified' : `${result.status[0].toUpperCase()}${result.status.slice(1)}`, verified ? 'pass-filled' : 'warning');
  lockPlan();
  meter(result.usage);
  const tests = result.tests ? `${result.tests.passed} passed, ${result.tests.failed} failed, ${result.tests.skipped} skipped` : 'not run';
  outcome.replaceChildren(
    el('h2', {}, icon(verified ? 'verified-filled' : 'warning'), verified ? ' Verified: every test ran and passed in the sandbox, and the tests catch deliberate bugs' : ` ${result.status}`),
    ...result.reasons.map((r) => el('p', { className: 'reason' }, icon('circle-small'), ` ${r}`)),
    ...(result.mutation ? [el('p', { className: 'mutation' }, icon('beaker'), ` ${mutationSentence(result.mutation)}`)] : []),
    ...result.amendments.map((a) => el('p', { className: 'reason' }, icon('edit'), ` Test amended in round ${a.round}: ${a.path}: ${a.reason}`)),
    el('p', {}, `Score ${result.score ?? '—'} · Tests ${tests} · ${result.files.length} files in ${result.folder} · ${result.rounds} repair round${result.rounds === 1 ? '' : 's'} · ${formatUsd(result.usage.costUsd)}${result.usage.budgetUsd > 0 ? ` of ${formatUsd(result.usage.budgetUsd)}` : ''} · ${(result.durationMs / 1000).toFixed(1)} s`),
    el('div', { className: 'actions' }, button('Open folder', () => send({ type: 'openFolder' })), ...(result.capsule ? [button('Show diff', () => send({ type: 'showDiff' }), true), button('Export capsule', () => send({ type: 'exportCapsule' }), true)] : [])),
  );
}

function reset(): void {
  for (const part of [planSlot, files, output, checks, cost, outcome]) part.replaceChildren();
  shownPlan = undefined;
  planEditable = false;
  fileRows.clear();
  fileWriters.clear();
  lastOutputPath = undefined;
}

onMessage<GeneratePanelToWebview>((message) => {
  switch (message.type) {
    case 'init':
      renderForm(message.stacks, message.defaultStack, message.folder, message.requirements);
      return setRunning(false, 'Describe the project and press Generate (Ctrl+Enter).');
    case 'started':
      reset();
      return setRunning(true, `Starting in ${message.folder}`);
    case 'event':
      return onEvent(message.event);
    case 'approve':
      setRunning(true, 'Review the plan: edit, remove or add files, then Approve.', 'checklist');
      shownPlan = message.plan;
      planEditable = true;
      planSlot.replaceChildren(
        planView(message.plan, {
          approve: (plan) => {
            lockPlan(plan);
            send({ type: 'approve', plan });
          },
          reject: () => {
            lockPlan();
            send({ type: 'rejectPlan' });
          },
        }),
      );
      return void (planSlot.querySelector('vscode-button') as HTMLElement | null)?.focus();
    case 'result':
      return showResult(message.result);
    case 'error':
      lockPlan();
      return setRunning(false, message.message, 'error');
  }
});

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && running) send({ type: 'cancel' });
});

root.replaceChildren(
  el('h1', {}, icon('sparkle'), ' Generate project'),
  form,
  status,
  outcome,
  planSlot,
  el('h2', {}, 'Files'),
  files,
  el('h2', {}, 'Checks'),
  checks,
  cost,
  el('details', { open: true }, el('summary', {}, 'Model output'), output),
);
setRunning(false, 'Connecting to the language server…', 'loading codicon-modifier-spin');
announceReady<GeneratePanelFromWebview>({ type: 'ready' });
