// The one adapter over the `openai` SDK: OpenAI, Azure OpenAI (AzureOpenAI), Groq and any
// OpenAI-compatible local server (Ollama, LM Studio, llama.cpp server, vLLM).
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, AzureOpenAI } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ProviderId } from '../../../protocol/machine';
import { cancelledError, connectionCause, errorFromStatus, ProviderError, providerName } from './errors';
import type { ChatRequest, Chunk, FinishReason, ModelProvider, StreamOptions } from './types';

export interface OpenAiCompatibleConfig {
  id: Exclude<ProviderId, 'anthropic'>;
  /** Optional for local servers. */
  apiKey?: string;
  /** The API base URL (for Azure: the resource endpoint). */
  baseUrl?: string;
  /** Azure only. */
  apiVersion?: string;
}

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

function createClient(config: OpenAiCompatibleConfig): OpenAI {
  // Retries are ours (retry.ts): the SDK's own would hide Retry-After and fallback decisions.
  const common = { maxRetries: 0, dangerouslyAllowBrowser: false };
  if (config.id === 'azure') {
    return new AzureOpenAI({ ...common, apiKey: config.apiKey, endpoint: config.baseUrl, apiVersion: config.apiVersion });
  }
  // Local servers need no key, but the SDK insists on one.
  return new OpenAI({ ...common, apiKey: config.apiKey || 'no-key', baseURL: config.baseUrl || undefined });
}

function toParams(config: OpenAiCompatibleConfig, request: ChatRequest): ChatCompletionCreateParamsStreaming {
  const messages: ChatCompletionCreateParamsStreaming['messages'] = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  for (const m of request.messages) messages.push({ role: m.role, content: m.content });
  // OpenAI's own endpoints want max_completion_tokens; compatible servers know max_tokens.
  const limit = config.id === 'openai' || config.id === 'azure' ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens };
  return {
    model: request.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
    ...limit,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.tools?.length
      ? { tools: request.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) }
      : {}),
  };
}

function* chunksOf(event: ChatCompletionChunk): Generator<Chunk> {
  for (const choice of event.choices ?? []) {
    const delta = choice.delta;
    if (delta?.content) yield { type: 'text', text: delta.content };
    for (const call of delta?.tool_calls ?? []) {
      yield { type: 'toolCall', index: call.index, id: call.id, name: call.function?.name, argumentsDelta: call.function?.arguments ?? '' };
    }
    if (choice.finish_reason) yield { type: 'finish', reason: finishReasons[choice.finish_reason] ?? 'other' };
  }
  if (event.usage) yield { type: 'usage', inputTokens: event.usage.prompt_tokens, outputTokens: event.usage.completion_tokens };
}

function toProviderError(id: ProviderId, err: unknown, signal: AbortSignal, streaming: boolean, url: string): ProviderError {
  if (err instanceof ProviderError) return err;
  if (signal.aborted || err instanceof APIUserAbortError) return cancelledError(id);
  if (err instanceof APIConnectionTimeoutError) return new ProviderError(id, 'timeout', `${providerName(id)} at ${url} did not answer in time.`);
  if (err instanceof APIError && err.status !== undefined) {
    return errorFromStatus(id, err.status, err.message, err.headers?.get('retry-after'));
  }
  const message = err instanceof Error ? err.message : String(err);
  if (streaming) return new ProviderError(id, 'stream', `${providerName(id)} sent a broken stream: ${message}.`);
  if (err instanceof APIConnectionError) return new ProviderError(id, 'network', `${providerName(id)} at ${url} is unreachable: ${connectionCause(err)}.`);
  return new ProviderError(id, 'network', `${providerName(id)} failed: ${message}.`);
}

export function createOpenAiCompatibleProvider(config: OpenAiCompatibleConfig): ModelProvider {
  const client = createClient(config);
  return {
    id: config.id,
    async *stream(request: ChatRequest, options: StreamOptions): AsyncIterable<Chunk> {
      let streaming = false;
      try {
        const stream = await client.chat.completions.create(toParams(config, request), { signal: options.signal, timeout: options.requestTimeoutMs });
        streaming = true;
        for await (const event of stream) yield* chunksOf(event);
      } catch (err) {
        throw toProviderError(config.id, err, options.signal, streaming, client.baseURL);
      }
    },
  };
}

/** Embeddings through the same SDK: OpenAI, Azure deployments, OpenAI-compatible servers (Ollama's /v1). */
export interface OpenAiEmbeddings {
  /** Where requests go (for messages). */
  readonly baseUrl: string;
  /** One request: a vector per input, in input order. Throws a ProviderError; retries are the caller's. */
  embed(model: string, input: string[], options: { signal?: AbortSignal; timeoutMs: number }): Promise<Float32Array[]>;
}

export function createOpenAiEmbeddings(config: OpenAiCompatibleConfig): OpenAiEmbeddings {
  const client = createClient(config);
  // The SDK asks OpenAI and Azure for base64 (a quarter of the bytes) and decodes it; a local
  // server may know only floats.
  const encoding = config.id === 'local' ? ({ encoding_format: 'float' } as const) : {};
  return {
    baseUrl: client.baseURL,
    async embed(model, input, options) {
      const signal = options.signal ?? new AbortController().signal;
      try {
        const response = await client.embeddings.create({ model, input, ...encoding }, { signal, timeout: options.timeoutMs });
        return [...response.data].sort((a, b) => a.index - b.index).map((d) => Float32Array.from(d.embedding));
      } catch (err) {
        throw toProviderError(config.id, err, signal, false, client.baseURL);
      }
    },
  };
}
