// The Search view: a query box, results (path:line, score, snippet with the query's words
// highlighted) that open the file at their range on click or Enter, arrow keys to move, and the
// index's status with a re-index action. When there are no results it says why: nothing typed,
// the index still being built, no good match, or the error. The query and its results are kept in
// the page's state, so a page VS Code loads again (after a view switch) shows them as they were.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { IndexStatus, SearchResult } from '../../protocol/search';
import type { SearchViewFromWebview, SearchViewToWebview } from '../../protocol/webview';
import { button, el, icon } from './dom';
import { emptyReason } from './searchEmpty';
import { announceReady, onMessage, post, savedState, saveState } from './vscodeApi';

const root = document.getElementById('root') as HTMLElement;
const field = document.createElement('vscode-textfield') as HTMLElement & { value: string };
field.setAttribute('placeholder', 'Describe what you are looking for');
field.setAttribute('aria-label', 'Search query');
field.className = 'query';
const statusLine = el('p', { className: 'muted index-status', role: 'status' });
const list = el('ul', { className: 'results', role: 'listbox', ariaLabel: 'Search results' });
const message = el('div', { className: 'muted empty', role: 'status' });
root.replaceChildren(
  field,
  list,
  message,
  el(
    'div',
    { className: 'footer' },
    statusLine,
    button('Re-index', () => post<SearchViewFromWebview>({ type: 'reindex' }), true),
  ),
);

interface SearchState {
  query: string;
  results: SearchResult[];
}

/** What the view knows: the index's state, and the last answer to the query in the box. */
const view: { status?: IndexStatus; results: SearchResult[]; error?: string; searching: boolean } = { results: [], searching: false };

let seq = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let items: HTMLElement[] = [];

/** Sends the query in the box; `quietly` keeps what is shown until the answer (a refresh). */
function search(quietly = false): void {
  const query = field.value.trim();
  seq++;
  view.error = undefined;
  view.searching = Boolean(query) && !quietly;
  if (!query) {
    list.replaceChildren();
    view.results = [];
  } else post<SearchViewFromWebview>({ type: 'search', seq, query });
  // Kept at once, so a switch before the answer still finds the query (it is asked again then).
  saveState<SearchState>({ query: field.value, results: view.results });
  renderEmpty();
}

field.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => search(), 150);
});
field.addEventListener('keydown', (e: KeyboardEvent) => {
  if (e.key === 'Enter') {
    clearTimeout(timer);
    search();
  } else if (e.key === 'ArrowDown' && items.length) {
    e.preventDefault();
    items[0].focus();
  }
});

/** The snippet's line that holds the most of the query's words (its first line when none does). */
function bestLine(snippet: string, matches: string[]): string {
  const lines = snippet.split('\n').filter((line) => line.trim());
  const hits = (line: string) => matches.filter((m) => line.toLowerCase().includes(m.toLowerCase())).length;
  return lines.reduce((best, line) => (hits(line) > hits(best) ? line : best), lines[0] ?? '').trim();
}

/** One line of the snippet (the whole of it in the tooltip) with the query's words in <mark>. */
function highlighted(fullSnippet: string, matches: string[]): HTMLElement {
  const snippet = bestLine(fullSnippet, matches);
  const pre = el('pre', { className: 'snippet', title: fullSnippet });
  if (!matches.length) {
    pre.textContent = snippet;
    return pre;
  }
  const escaped = matches.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).sort((a, b) => b.length - a.length);
  const re = new RegExp(`(${escaped.join('|')})`, 'gi');
  for (const part of snippet.split(re)) {
    pre.append(re.test(part) ? el('mark', {}, part) : part);
    re.lastIndex = 0;
  }
  return pre;
}

function open(r: SearchResult): void {
  post<SearchViewFromWebview>({ type: 'open', path: r.path, startLine: r.startLine, endLine: r.endLine });
}

function renderResults(results: SearchResult[]): void {
  items = results.map((r, i) => {
    const item = el(
      'li',
      { className: 'result', tabIndex: 0, role: 'option', title: `${r.path}:${r.startLine}-${r.endLine}` },
      el(
        'div',
        { className: 'result-head' },
        el('span', { className: 'location' }, `${r.path}:${r.startLine}`),
        r.symbol ? el('span', { className: 'symbol' }, ` ${r.symbol}`) : '',
        el('span', { className: 'score' }, r.score.toFixed(2)),
      ),
      highlighted(r.snippet, r.matches),
    );
    item.addEventListener('click', () => open(r));
    item.addEventListener('keydown', (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open(r);
      } else if (e.key === 'ArrowDown') {
        e.preventDefault();
        items[Math.min(items.length - 1, i + 1)].focus();
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        if (i === 0) field.focus();
        else items[i - 1].focus();
      }
    });
    return item;
  });
  list.replaceChildren(...items);
  view.results = results;
  view.searching = false;
  renderEmpty();
  saveState<SearchState>({ query: field.value, results });
}

/** Why there is nothing to show, when there is nothing: one line, and a hint when it helps. */
function renderEmpty(): void {
  if (view.results.length) return message.replaceChildren();
  const why = emptyReason({ query: field.value, status: view.status, error: view.error, searching: view.searching });
  message.replaceChildren(
    ...(why.busy ? [icon('loading codicon-modifier-spin'), ' '] : []),
    why.text,
    ...(why.hint ? [el('span', { className: 'hint' }, why.hint)] : []),
  );
}

function renderStatus(status: IndexStatus): void {
  const when = status.updatedAt ? `, updated ${new Date(status.updatedAt).toLocaleTimeString()}` : '';
  const text =
    status.state === 'error'
      ? `Index problem: ${status.error ?? 'unknown'}`
      : status.state === 'indexing'
        ? `Indexing… ${status.progress ? `${status.progress.done} of ${status.progress.total} files` : ''}`
        : `${status.files} files, ${status.chunks} chunks${when}`;
  statusLine.textContent = text;
}

onMessage<SearchViewToWebview>((m) => {
  if (m.type === 'status') {
    const wasReady = view.status?.state === 'ready';
    view.status = m.status;
    renderStatus(m.status);
    // A query asked while the index was being built is asked again once it is ready.
    if (m.status.state === 'ready' && !wasReady && field.value.trim()) search(true);
    else renderEmpty();
  } else if (m.type === 'results' && m.seq === seq) renderResults(m.results);
  else if (m.type === 'searchError' && m.seq === seq) {
    // Results of an earlier query would hide why this one has none.
    list.replaceChildren();
    view.results = [];
    view.error = m.message;
    view.searching = false;
    renderEmpty();
  }
});

const saved = savedState<SearchState>();
field.value = saved.query ?? '';
renderResults(saved.results ?? []);
announceReady<SearchViewFromWebview>({ type: 'ready' });
