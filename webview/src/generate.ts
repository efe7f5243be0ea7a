// The generation panel: requirements, stack, tier and folder; then the plan to approve, each
// file's state and the model that wrote it, streamed output, checks, tests, cost against the
// budget, and the outcome with its actions. Ctrl+Enter starts, Escape cancels a running run.
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import {
  mutationSentence,
  type FileState,
  type GenerationEvent,
  type GenerationResult,
  type GenerationUsage,
  type ProjectPlan,
  type StackSummary,
} from '../../protocol/generate';
import { formatUsd } from '../../protocol/llm';
import type { GeneratePanelAction, GeneratePanelFromWebview, GeneratePanelToWebview, MessageOf } from '../../protocol/webview';
import { budgetMeter, button, el, icon, plural } from './dom';
import { planView } from './generatePlan';
import { announceReady, onMessage, post } from './vscodeApi';

type Send = MessageOf<GeneratePanelFromWebview>;
const send = (message: Send) => post<GeneratePanelFromWebview>(message);
interface Field extends HTMLElement {
  value: string;
}

const root = document.getElementById('root') as HTMLElement;
const maxOutputChars = 20_000;
const fileIcons: Record<FileState, string> = {
  pending: 'circle-large-outline',
  writing: 'loading codicon-modifier-spin',
  written: 'circle-large-filled',
  validated: 'pass',
  failed: 'error',
};

// The parts of the page, filled as the run goes.
const form = el('section', { className: 'form' });
const status = el('p', { className: 'status', role: 'status' });
const planSlot = el('div');
const files = el('ul', { className: 'files', ariaLabel: 'Files' });
const output = el('pre', { className: 'output', tabIndex: 0, ariaLabel: 'Model output' });
const checks = el('ul', { className: 'checks', ariaLabel: 'Checks' });
const banner = el('p', { className: 'banner', hidden: true });
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
/** Whose answer the output shows last (a file's path, `plan` or `repair`), and how much it holds. */
let lastOutputLabel: string | undefined;
let outputChars = 0;
/** The phase the run is in: an answer that belongs to no file is the plan's or a repair's. */
let phase = '';

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
  for (const [value, label] of [
    ['auto', 'Routed per task (default)'],
    ['T0', 'T0 cheapest'],
    ['T1', 'T1'],
    ['T2', 'T2'],
    ['T3', 'T3 strongest'],
  ]) {
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
    const stack =
      [...stackGroup.querySelectorAll('vscode-radio')].find((r) => (r as HTMLElement & { checked: boolean }).checked)?.getAttribute('value') ?? 'auto';
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
    el(
      'div',
      { className: 'row' },
      el('div', {}, el('span', { className: 'label' }, 'Stack'), stackGroup),
      el('div', {}, el('span', { className: 'label' }, 'Model tier'), tier, el('span', { className: 'label' }, 'Folder'), target),
    ),
    el('div', { className: 'actions' }, button('Generate', start)),
  );
}

/** The status line. While a plan waits for approval the plan's own Cancel is the one shown. */
function setRunning(on: boolean, message: string, iconName = on ? 'loading codicon-modifier-spin' : 'info', withCancel = on): void {
  running = on;
  cancel.hidden = !withCancel;
  form.toggleAttribute('inert', on);
  status.replaceChildren(icon(iconName), ` ${message}`, ' ', cancel);
}

const actionLabels: Record<GeneratePanelAction, string> = {
  retry: 'Retry',
  setUpModel: 'Set up a model',
  replaySample: 'Replay the sample',
  openSettings: 'Open settings',
  showOutput: 'Show output',
};

/** A failure and the ways forward, as buttons after the message (the first one primary); a cancel is no failure. */
function showError(message: string, actions: GeneratePanelAction[] = [], cancelled = false): void {
  lockPlan();
  clearError();
  setRunning(false, message, cancelled ? 'circle-slash' : 'error');
  if (!cancelled) status.classList.add('error');
  if (actions.length) status.after(errorActions(actions));
}

function errorActions(actions: GeneratePanelAction[]): HTMLElement {
  document.querySelector('.error-actions')?.remove();
  return el(
    'div',
    { className: 'actions error-actions' },
    ...actions.map((action, i) => button(actionLabels[action], () => send({ type: 'action', action }), i > 0)),
  );
}

function clearError(): void {
  status.classList.remove('error');
  document.querySelector('.error-actions')?.remove();
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

/** Streams an answer into the output: one label naming whose answer it is, then its text. */
function appendOutput(path: string | null, delta: string): void {
  const label = path ?? (phase === 'repair' ? 'repair' : 'plan');
  if (label !== lastOutputLabel) {
    output.append(el('span', { className: 'output-label' }, label), '');
    lastOutputLabel = label;
  }
  (output.lastChild as Text).appendData(delta);
  outputChars += delta.length;
  // The oldest answers go first; a label stays as long as some of its text does.
  while (outputChars > maxOutputChars && output.firstChild) {
    const [labelNode, text] = [output.firstChild, output.firstChild.nextSibling as Text | null];
    const excess = outputChars - maxOutputChars;
    if (text && text.length > excess) {
      text.deleteData(0, excess);
      outputChars -= excess;
    } else {
      outputChars -= text?.length ?? 0;
      text?.remove();
      labelNode.remove();
    }
  }
  output.scrollTop = output.scrollHeight;
}

function meter(usage: GenerationUsage): void {
  const share = usage.budgetUsd > 0 ? Math.min(1, usage.costUsd / usage.budgetUsd) : 0;
  cost.replaceChildren(
    el(
      'p',
      {},
      icon('credit-card'),
      ` Cost ${formatUsd(usage.costUsd)}${usage.budgetUsd > 0 ? ` of ${formatUsd(usage.budgetUsd)} budget` : ' (no budget)'} · ${usage.calls ? plural(usage.calls, 'call') : 'no model calls'} · ${plural(usage.inputTokens + usage.outputTokens, 'token')}${usage.recordedCostUsd !== undefined ? ` · replayed: the recording cost ${formatUsd(usage.recordedCostUsd)}` : ''}`,
    ),
    budgetMeter(share, 'Share of the generation budget spent'),
  );
}

/** One check: its line, notes under it, and what it printed behind a labelled disclosure. */
function check(ok: boolean, text: string, detail?: { label: string; text: string }, notes: string[] = []): HTMLElement {
  const item = el(
    'li',
    { className: `check ${ok ? 'ok' : 'missing'}` },
    el('div', { className: 'check-head' }, icon(ok ? 'pass' : 'warning'), el('span', {}, text)),
  );
  if (notes.length) item.append(el('ul', { className: 'test-notes' }, ...notes.map((n) => el('li', {}, n))));
  if (detail)
    item.append(
      el('details', {}, el('summary', {}, detail.label), el('pre', { className: 'output check-output', tabIndex: 0, ariaLabel: detail.label }, detail.text)),
    );
  return item;
}

function onEvent(event: GenerationEvent): void {
  switch (event.kind) {
    case 'phase':
      phase = event.phase;
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
      return void fileRow(event.path).replaceChildren(
        icon(fileIcons[event.state]),
        ' ',
        el('code', {}, event.path),
        el('span', { className: `file-state ${event.state}` }, ` ${event.state}${by}${size}${event.message ? ` — ${event.message}` : ''}`),
      );
    }
    case 'text':
      return appendOutput(event.path, event.delta);
    case 'validation': {
      const shown = event.findings.slice(0, 20);
      const findings = shown.map((f) => `${f.file}:${f.line} ${f.severity} ${f.source}${f.code ? `/${f.code}` : ''}: ${f.message}`).join('\n');
      const label = `Findings, round ${event.round}${event.findings.length > shown.length ? ` (first ${shown.length} of ${event.findings.length})` : ''}`;
      return void checks.append(
        check(
          event.errors === 0,
          `Validation, round ${event.round}: score ${event.score}, ${plural(event.errors, 'error')}, ${plural(event.warnings, 'warning')}`,
          findings ? { label, text: findings } : undefined,
        ),
      );
    }
    case 'tests': {
      const counts = event.tests ? `${event.tests.passed} passed, ${event.tests.failed} failed, ${event.tests.skipped} skipped` : 'no counts';
      const notes = [...(event.failing ?? []).map((f) => `Failing: ${f}`), ...(event.problems ?? []).map((p) => `Not counted as evidence: ${p}`)];
      const outputTail = event.outputTail ? { label: `Test output, round ${event.round} (${event.sandbox} sandbox)`, text: event.outputTail } : undefined;
      return void checks.append(
        check(
          event.status === 'passed' && !event.problems?.length,
          `Tests, round ${event.round}: ${event.status} (${counts}) in the ${event.sandbox} sandbox, ${(event.durationMs / 1000).toFixed(1)} s`,
          outputTail,
          notes,
        ),
      );
    }
    case 'mutation': {
      const { mutation } = event;
      const survivors = mutation.survivors.length
        ? { label: `Mutants the tests missed (${mutation.survivors.length})`, text: mutation.survivors.join('\n') }
        : undefined;
      return void checks.append(check(mutation.mutants > 0 && mutation.score >= mutation.minScore, mutationSentence(mutation), survivors));
    }
    case 'usage':
      return meter(event.usage);
    case 'notice':
      return void checks.append(el('li', { className: 'check' }, el('div', { className: 'check-head' }, icon('info'), el('span', {}, event.message))));
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
  // The outcome's heading says verified or not; the status line says that the run ended.
  setRunning(false, `Finished in ${(result.durationMs / 1000).toFixed(1)} s`, verified ? 'pass-filled' : 'warning');
  lockPlan();
  meter(result.usage);
  const tests = result.tests ? `${result.tests.passed} passed, ${result.tests.failed} failed, ${result.tests.skipped} skipped` : 'not run';
  outcome.replaceChildren(
    el(
      'h2',
      {},
      icon(verified ? 'verified-filled' : 'warning'),
      verified ? ' Verified: every test ran and passed in the sandbox, and the tests catch deliberate bugs' : ` ${result.status}`,
    ),
    ...result.reasons.map((r) => el('p', { className: 'reason' }, icon('circle-small'), ` ${r}`)),
    ...(result.mutation ? [el('p', { className: 'mutation' }, icon('beaker'), ` ${mutationSentence(result.mutation)}`)] : []),
    ...result.amendments.map((a) => el('p', { className: 'reason' }, icon('edit'), ` Test amended in round ${a.round}: ${a.path}: ${a.reason}`)),
    el(
      'p',
      {},
      `Score ${result.score ?? '—'} · Tests ${tests} · ${plural(result.files.length, 'file')} in ${result.folder} · ${plural(result.rounds, 'repair round')} · ${formatUsd(result.usage.costUsd)}${result.usage.budgetUsd > 0 ? ` of ${formatUsd(result.usage.budgetUsd)}` : ''}`,
    ),
    ...(result.usage.recordedCostUsd !== undefined
      ? [
          el(
            'p',
            { className: 'muted' },
            icon('history'),
            ` A replay of a recorded generation: no model was called; the recording cost ${formatUsd(result.usage.recordedCostUsd)}.`,
          ),
        ]
      : []),
    el(
      'div',
      { className: 'actions' },
      button('Open folder', () => send({ type: 'openFolder' })),
      ...(result.capsule
        ? [button('Show diff', () => send({ type: 'showDiff' }), true), button('Export capsule', () => send({ type: 'exportCapsule' }), true)]
        : []),
    ),
  );
}

function reset(): void {
  for (const part of [planSlot, files, output, checks, cost, outcome]) part.replaceChildren();
  clearError();
  shownPlan = undefined;
  planEditable = false;
  fileRows.clear();
  fileWriters.clear();
  lastOutputLabel = undefined;
  outputChars = 0;
  phase = '';
}

onMessage<GeneratePanelToWebview>((message) => {
  switch (message.type) {
    case 'init':
      renderForm(message.stacks, message.defaultStack, message.folder, message.requirements);
      return setRunning(false, 'Describe the project and press Generate (Ctrl+Enter).');
    case 'started':
      reset();
      banner.hidden = !message.replay;
      banner.replaceChildren(
        icon('history'),
        el(
          'span',
          {},
          'Replaying the sample: a recorded generation, shown without a model or network. Validation and the tests run again, in the sandbox.',
          ...(message.requirements ? [el('br'), el('em', {}, `“${message.requirements}”`)] : []),
        ),
      );
      return setRunning(true, message.replay ? `Replaying the sample into ${message.folder}` : `Starting in ${message.folder}`);
    case 'event':
      return onEvent(message.event);
    case 'approve':
      setRunning(true, 'Review the plan: edit, remove or add files, then Approve.', 'checklist', false);
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
      return showError(message.message, message.actions, message.cancelled);
  }
});

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && running) send({ type: 'cancel' });
});

root.replaceChildren(
  el('h1', {}, icon('sparkle'), ' Generate project'),
  form,
  banner,
  status,
  outcome,
  planSlot,
  // Parts with nothing in them yet stay out of sight (media/generate.css).
  el('section', { className: 'part' }, el('h2', {}, 'Files'), files),
  el('section', { className: 'part' }, el('h2', {}, 'Checks'), checks),
  cost,
  el('details', { className: 'part', open: true }, el('summary', {}, 'Model output'), output),
);
setRunning(false, 'Connecting to the language server…', 'loading codicon-modifier-spin');
announceReady<GeneratePanelFromWebview>({ type: 'ready' });
