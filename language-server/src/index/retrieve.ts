// Context for generation: the chunks of a folder most relevant to a requirement, best first,
// within a token budget. Opens (and updates) the folder's index on the way; no LSP involved.
import { realpath } from 'node:fs/promises';
import type { SearchResult } from '../../../protocol/search';
import { defaultIndexDir } from './location';
import { IndexService } from './service';

export interface RetrieveOptions {
  /** Upper bound on the summed tokens of the returned chunks (≈ 4 characters a token). Default 4000. */
  tokenBudget?: number;
  /** How many chunks at most. Default 12. */
  k?: number;
  signal?: AbortSignal;
  /** Where the index lives; default: QLP's data folder for `dir`. */
  indexDir?: string;
  /** Embedder id; default `learned`. */
  embedder?: string;
  env?: NodeJS.ProcessEnv;
}

/** A piece of the workspace given to the model as context for a generation (generate/prompts.ts). */
export interface ContextChunk {
  path: string;
  startLine: number;
  endLine: number;
  symbol: string;
  language: string;
  score: number;
  /** The chunk's full text. */
  text: string;
  tokens: number;
}

export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

export async function retrieveContext(dir: string, requirement: string, options: RetrieveOptions = {}): Promise<ContextChunk[]> {
  const root = await realpath(dir);
  const service = await IndexService.open(
    { root, indexDir: options.indexDir ?? (await defaultIndexDir(root, options.env)), embedder: options.embedder, env: options.env },
    options.signal,
  );
  try {
    await service.update({ signal: options.signal });
    return await selectContext(service, requirement, options);
  } finally {
    await service.close();
  }
}

/** The same selection over an already open service (the language server keeps one). */
export async function selectContext(service: IndexService, requirement: string, options: RetrieveOptions = {}): Promise<ContextChunk[]> {
  const budget = options.tokenBudget ?? 4000;
  const k = options.k ?? 12;
  const results = await service.searchWithText(requirement, Math.max(k * 3, 30), options.signal);
  const out: ContextChunk[] = [];
  let used = 0;
  for (const r of results) {
    if (out.length >= k) break;
    const text = r.text;
    const tokens = estimateTokens(text);
    if (used + tokens > budget) continue; // a smaller chunk further down may still fit
    used += tokens;
    out.push({ path: r.path, startLine: r.startLine, endLine: r.endLine, symbol: r.symbol, language: r.language, score: r.score, text, tokens });
  }
  return out;
}

export type { SearchResult };
