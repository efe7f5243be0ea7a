// The one streaming shape every provider adapter yields, and the request they all accept.
import type { ProviderId } from '../../../protocol/machine';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A tool the model may call; `parameters` is a JSON schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  /** The model name (for Azure: the deployment). */
  model: string;
  system?: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
  tools?: ToolSpec[];
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export type Chunk =
  | { type: 'text'; text: string }
  /** A piece of a tool call; `index` groups the pieces of one call. */
  | { type: 'toolCall'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number }
  | { type: 'finish'; reason: FinishReason };

export interface StreamOptions {
  signal: AbortSignal;
  /** Milliseconds to wait for response headers. */
  requestTimeoutMs: number;
}

/** A model provider: one adapter file per SDK implements it. */
export interface ModelProvider {
  readonly id: ProviderId;
  /** Streams one response; throws ProviderError (never a raw SDK error). */
  stream(request: ChatRequest, options: StreamOptions): AsyncIterable<Chunk>;
}
