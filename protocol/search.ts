// The workspace index and semantic search: what `qlp search --json` prints, what the Search view
// shows, what generation retrieves.

export interface SearchResult {
  /** Relative to the indexed folder, `/`-separated. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** Relevance in [0, 1], best first. */
  score: number;
  /** A few lines of the chunk, around where the query's words occur. */
  snippet: string;
  /** The 1-based line the snippet starts at. */
  snippetLine: number;
  symbol: string;
  language: string;
  /** Lowercased words of the snippet that match the query (for highlighting). */
  matches: string[];
}

export interface IndexProgress {
  message: string;
  done: number;
  total: number;
}

export interface IndexStatus {
  state: 'empty' | 'indexing' | 'ready' | 'error';
  files: number;
  chunks: number;
  embedder: string;
  /** ISO time of the last completed update, absent before the first. */
  updatedAt?: string;
  /** While indexing. */
  progress?: IndexProgress;
  /** Why the index is in the error state, one sentence. */
  error?: string;
}

export interface SearchParams {
  query: string;
  limit?: number;
}
