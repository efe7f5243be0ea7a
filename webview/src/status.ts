// The Status view: server state, machine checks, Restricted Mode's limits, stages the latest
// validations could not check, and actions. Plain DOM plus vscode-elements.
import type { HealthReport } from '../../protocol/lsp';
import type { ServerState, StatusViewFromWebview, StatusViewToWebview } from '../../protocol/webview';
import { button as themedButton, el, icon } from './dom';
import { announceReady, onMessage, post } from './vscodeApi';

const stateText: Record<ServerState, [icon: string, label: string]> = {
  starting: ['loading codicon-modifier-spin', 'Language server starting…'],
  ready: ['pass', 'Language server ready'],
  restarting: ['sync codicon-modifier-spin', 'Language server restarting after a crash…'],
  crashed: ['error', 'Language server crashed'],
  stopped: ['circle-slash', 'Language server stopped'],
};

const root = document.getElementById('root') as HTMLElement;
let state: ServerState = 'starting';
let detail: string | undefined;
let health: HealthReport | undefined;
let healthError: string | undefined;

function check(ok: boolean, label: string, text: string): HTMLElement {
  return el('li', { className: ok ? 'ok' : 'missing' }, icon(ok ? 'pass' : 'circle-slash'), el('span', {}, el('strong', {}, `${label}: `), text));
}

function button(label: string, message: keyof StatusViewFromWebview, secondary = false): HTMLElement {
  return themedButton(label, () => post<StatusViewFromWebview>({ type: message }), secondary);
}

function machineChecks(report: HealthReport): HTMLElement {
  const { node, docker, bubblewrap, storage, providers, sandbox } = report.machine;
  const configured = providers.filter((p) => p.configured).map((p) => p.id);
  return el(
    'ul',
    { className: 'status-checks', ariaLabel: 'Machine checks' },
    check(node.supported, 'Node.js', node.version),
    check(docker.reachable, 'Docker engine', docker.reachable ? `${docker.version ?? ''} at ${docker.host}` : (docker.error ?? 'not reachable')),
    check(bubblewrap.available, 'bubblewrap', bubblewrap.available ? (bubblewrap.version ?? 'available') : (bubblewrap.error ?? 'missing')),
    check(sandbox !== null, 'Sandbox', sandbox ?? 'none: generated tests cannot run'),
    check(storage.writable, 'Storage', storage.writable ? storage.path : (storage.error ?? 'not writable')),
    check(configured.length > 0, 'Providers', configured.length ? configured.join(', ') : 'none configured'),
  );
}

/** Restricted Mode: what QLP holds back and why, with the way out; one line once trusted. */
function workspaceTrust(report: HealthReport): HTMLElement | undefined {
  const trust = report.workspaceTrust;
  if (!trust) return undefined;
  if (trust.trusted)
    return el(
      'ul',
      { className: 'status-checks', ariaLabel: 'Workspace trust' },
      check(true, 'Workspace', "trusted: the project's ESLint config and tests are used"),
    );
  return el(
    'section',
    { className: 'trust', ariaLabel: 'Restricted Mode' },
    el(
      'p',
      { className: 'state' },
      icon('shield'),
      el('strong', {}, ' Restricted Mode: '),
      'this workspace is not trusted, so QLP runs nothing from it and checks your code with its own rules only.',
    ),
    el('ul', { className: 'limits' }, ...trust.limits.map((limit) => el('li', {}, limit))),
    el('div', { className: 'actions' }, button('Manage Workspace Trust', 'manageTrust')),
  );
}

/** Stages the latest validations could not check: a tool that failed, tests that did not run. */
function notChecked(report: HealthReport): HTMLElement | undefined {
  if (!report.notChecked?.length) return undefined;
  return el(
    'ul',
    { className: 'status-checks', ariaLabel: 'Not checked' },
    ...report.notChecked.map((u) =>
      el('li', { className: 'missing' }, icon('warning'), el('span', {}, el('strong', {}, `${u.stage} not checked: `), u.reason)),
    ),
  );
}

function render(): void {
  const [iconName, label] = stateText[state];
  const parts: Node[] = [el('p', { className: `state state-${state}`, role: 'status' }, icon(iconName), ` ${label}`)];
  if (detail) parts.push(el('p', { className: 'detail' }, detail));
  if (health && state === 'ready') {
    parts.push(el('p', { className: 'version' }, `QLP ${health.version} · pid ${health.pid} · up ${Math.round(health.uptimeMs / 1000)} s`));
    parts.push(machineChecks(health));
    for (const section of [workspaceTrust(health), notChecked(health)]) if (section) parts.push(section);
  } else if (healthError) {
    parts.push(el('p', { className: 'detail' }, healthError));
  }
  parts.push(
    el(
      'div',
      { className: 'actions' },
      button('Refresh', 'refresh'),
      button('Restart server', 'restartServer', true),
      button('Show output', 'showOutput', true),
    ),
  );
  root.replaceChildren(...parts);
}

onMessage<StatusViewToWebview>((message) => {
  switch (message.type) {
    case 'state':
      state = message.state;
      detail = message.detail;
      break;
    case 'health':
      health = message.report;
      healthError = undefined;
      break;
    case 'healthError':
      healthError = message.message;
      break;
  }
  render();
});

render();
announceReady<StatusViewFromWebview>({ type: 'ready' });
