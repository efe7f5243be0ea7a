// What the server's main thread and the index worker say to each other.
import type { IndexProgress, IndexStatus, SearchResult } from '../../../../protocol/search';
import type { ChannelReply } from '../../common/workerChannel';
import type { ContextChunk, RetrieveOptions } from '../retrieve';
import type { IndexServiceOptions } from '../service';

export interface IndexCalls {
  update: { params: { pauseMs?: number }; result: IndexStatus };
  updateFiles: { params: { paths: string[] }; result: IndexStatus };
  rebuild: { params: { pauseMs?: number }; result: IndexStatus };
  search: { params: { query: string; limit?: number }; result: SearchResult[] };
  retrieve: { params: { requirement: string } & Pick<RetrieveOptions, 'k' | 'tokenBudget'>; result: ContextChunk[] };
  status: { params: Record<string, never>; result: IndexStatus };
}

export type CallName = keyof IndexCalls;

export type WorkerRequest =
  | { kind: 'open'; id: number; options: IndexServiceOptions }
  | { kind: 'call'; id: number; method: CallName; params: unknown }
  | { kind: 'cancel'; id: number };

/** Answers to requests, and the index's status whenever it changes. */
export type WorkerResponse = ChannelReply<IndexProgress> | { kind: 'status'; status: IndexStatus };
