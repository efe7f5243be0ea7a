// The Usage view: today's spend against the budget, a 14-day chart, spend per tier and provider.
import { formatUsd, type SpendTotals, type UsageSummary } from '../../protocol/llm';
import type { UsageViewFromWebview, UsageViewToWebview } from '../../protocol/webview';
import { budgetMeter, button, el, icon, plural } from './dom';
import { announceReady, onMessage, post } from './vscodeApi';

const root = document.getElementById('root') as HTMLElement;
const svgNs = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * Bars of spend per day, or of calls per day when every call was free (a local model), so the
 * chart is never an empty box while calls were made; each bar's title gives the exact figures.
 */
function chart(summary: UsageSummary): Element {
  const width = 280;
  const height = 80;
  const days = summary.byDay.length;
  const byCost = summary.byDay.some((d) => d.costUsd > 0);
  if (!byCost && !summary.byDay.some((d) => d.calls > 0)) return el('p', { className: 'muted chart-empty' }, `No model calls in the last ${days} days.`);
  const value = (d: UsageSummary['byDay'][number]) => (byCost ? d.costUsd : d.calls);
  const max = Math.max(...summary.byDay.map(value), 0);
  const barWidth = width / days;
  const label = byCost ? `Spend per day over the last ${days} days` : `Model calls per day over the last ${days} days (all free)`;
  const figure = svg('svg', { viewBox: `0 0 ${width} ${height + 14}`, role: 'img', class: 'chart', 'aria-label': label });
  summary.byDay.forEach((day, i) => {
    const h = max > 0 ? Math.max(value(day) > 0 ? 2 : 0, (value(day) / max) * height) : 0;
    const bar = svg('rect', { x: i * barWidth + 2, y: height - h, width: barWidth - 4, height: h, class: day.day === summary.today ? 'bar today' : 'bar' });
    const title = svg('title', {});
    title.textContent = `${day.day}: ${formatUsd(day.costUsd)} in ${plural(day.calls, 'call')}`;
    bar.append(title);
    figure.append(bar);
  });
  const axis = svg('line', { x1: 0, y1: height + 0.5, x2: width, y2: height + 0.5, class: 'axis' });
  const first = svg('text', { x: 0, y: height + 12, class: 'label' });
  first.textContent = summary.byDay[0]?.day.slice(5) ?? '';
  const last = svg('text', { x: width, y: height + 12, class: 'label', 'text-anchor': 'end' });
  last.textContent = 'today';
  figure.append(axis, first, last);
  return el(
    'figure',
    { className: 'chart-figure' },
    figure,
    el('figcaption', { className: 'muted' }, byCost ? 'Spend per day' : 'Model calls per day (all free)'),
  );
}

function table(caption: string, rows: Array<[string, SpendTotals | undefined]>): HTMLElement {
  const body = rows
    .filter((r): r is [string, SpendTotals] => Boolean(r[1]))
    .map(([name, t]) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, name),
        el('td', {}, formatUsd(t.costUsd)),
        el('td', {}, String(t.calls)),
        el('td', {}, `${t.inputTokens + t.outputTokens}`),
      ),
    );
  if (!body.length) return el('p', { className: 'muted' }, `${caption}: no calls yet.`);
  return el(
    'table',
    {},
    el('caption', {}, caption),
    el(
      'thead',
      {},
      el('tr', {}, el('th', {}, ''), el('th', { scope: 'col' }, 'Cost'), el('th', { scope: 'col' }, 'Calls'), el('th', { scope: 'col' }, 'Tokens')),
    ),
    el('tbody', {}, ...body),
  );
}

function render(summary: UsageSummary | undefined): void {
  const actions = el(
    'div',
    { className: 'actions' },
    button('Test connection', () => post<UsageViewFromWebview>({ type: 'testModels' })),
    button('Set API key', () => post<UsageViewFromWebview>({ type: 'setApiKey' }), true),
    button('Settings', () => post<UsageViewFromWebview>({ type: 'openSettings' }), true),
  );
  if (!summary) {
    root.replaceChildren(el('p', {}, icon('loading codicon-modifier-spin'), ' Reading the ledger…'), actions);
    return;
  }
  const { todayTotals, budgets } = summary;
  const budget = budgets.perDayUsd > 0 ? ` of ${formatUsd(budgets.perDayUsd)} daily budget` : ' (no daily budget)';
  const share = budgets.perDayUsd > 0 ? Math.min(1, todayTotals.costUsd / budgets.perDayUsd) : 0;
  root.replaceChildren(
    el('p', { className: 'today', role: 'status' }, icon('pulse'), ` Today: ${formatUsd(todayTotals.costUsd)}${budget}`),
    budgetMeter(share, 'Share of the daily budget spent'),
    el(
      'p',
      { className: 'muted' },
      `${plural(todayTotals.calls, 'call')} today${todayTotals.failures ? ` · ${plural(todayTotals.failures, 'failed attempt')} (no cost)` : ''} · per generation budget ${budgets.perGenerationUsd > 0 ? formatUsd(budgets.perGenerationUsd) : 'none'}`,
    ),
    ...(summary.last ? [el('p', { className: 'muted' }, `Last model: ${summary.last.tier} ${summary.last.provider}:${summary.last.model}`)] : []),
    chart(summary),
    table(
      'By tier',
      (['T0', 'T1', 'T2', 'T3'] as const).map((t) => [t, summary.byTier[t]]),
    ),
    table('By provider', Object.entries(summary.byProvider)),
    actions,
  );
}

onMessage<UsageViewToWebview>((message) => render(message.summary));
render(undefined);
announceReady<UsageViewFromWebview>({ type: 'ready' });
