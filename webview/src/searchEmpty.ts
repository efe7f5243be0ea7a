// Why the Search view shows no results, in words: nothing typed, the answer on its way, the
// error, the index still being built, or no good match (with a hint). Pure, so it is tested
// without a page.
import type { IndexStatus } from '../../protocol/search';

export interface EmptyReason {
  text: string;
  hint?: string;
  /** Shown with a spinner. */
  busy?: boolean;
}

export interface SearchViewState {
  query: string;
  status?: IndexStatus;
  /** Why the last search failed, one sentence. */
  error?: string;
  searching: boolean;
}

export function emptyReason({ query, status, error, searching }: SearchViewState): EmptyReason {
  const q = query.trim();
  if (!q) return { text: 'Type to search: describe what the code does.' };
  if (error) return { text: error };
  if (searching) return { text: 'Searching…', busy: true };
  if (status?.state === 'error') return { text: status.error ?? 'The index failed.' };
  if (status && status.state !== 'ready') {
    const p = status.progress;
    return { text: p?.total ? `Indexing… ${p.done} of ${p.total} files` : 'Indexing…' };
  }
  return { text: `No good match for “${q}”.`, hint: 'Try words that name what the code does, or re-index.' };
}
