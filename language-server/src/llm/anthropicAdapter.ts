// The one adapter over `@anthropic-ai/sdk`: the Messages API with streaming.
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { cancelledError, connectionCause, errorFromStatus, ProviderError, providerName } from './errors';
import type { ChatRequest, Chunk, FinishReason, ModelProvider, StreamOptions } from './types';

export interface AnthropicConfig {
  apiKey?: string;
  baseUrl?: string;
}

const stopReasons: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

function toParams(request: ChatRequest): MessageCreateParamsStreaming {
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    stream: true,
    ...(request.system ? { system: request.system } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.tools?.length
      ? { tools: request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters as { type: 'object' } })) }
      : {}),
  };
}

/** Turns Messages API events into chunks; usage arrives in two halves (start and delta). */
class EventMapper {
  private inputTokens = 0;
  private outputTokens = 0;
  private stopReason: FinishReason | undefined;

  *map(event: RawMessageStreamEvent): Generator<Chunk> {
    switch (event.type) {
      case 'message_start':
        this.inputTokens =
          event.message.usage.input_tokens + (event.message.usage.cache_read_input_tokens ?? 0) + (event.message.usage.cache_creation_input_tokens ?? 0);
        this.outputTokens = event.message.usage.output_tokens;
        break;
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') {
          yield { type: 'toolCall', index: event.index, id: event.content_block.id, name: event.content_block.name, argumentsDelta: '' };
        } else if (event.content_block.type === 'text' && event.content_block.text) {
          yield { type: 'text', text: event.content_block.text };
        }
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') yield { type: 'text', text: event.delta.text };
        else if (event.delta.type === 'input_json_delta') yield { type: 'toolCall', index: event.index, argumentsDelta: event.delta.partial_json };
        break;
      case 'message_delta':
        if (event.delta.stop_reason) this.stopReason = stopReasons[event.delta.stop_reason] ?? 'other';
        if (event.usage?.output_tokens !== undefined) this.outputTokens = event.usage.output_tokens;
        break;
      case 'message_stop':
        yield { type: 'usage', inputTokens: this.inputTokens, outputTokens: this.outputTokens };
        yield { type: 'finish', reason: this.stopReason ?? 'stop' };
        break;
    }
  }
}

function toProviderError(err: unknown, signal: AbortSignal, streaming: boolean, url: string): ProviderError {
  if (err instanceof ProviderError) return err;
  if (signal.aborted || err instanceof APIUserAbortError) return cancelledError('anthropic');
  if (err instanceof APIConnectionTimeoutError) return new ProviderError('anthropic', 'timeout', `Anthropic at ${url} did not answer in time.`);
  if (err instanceof APIError && err.status !== undefined) {
    return errorFromStatus('anthropic', err.status, err.message, err.headers?.get('retry-after'));
  }
  const message = err instanceof Error ? err.message : String(err);
  if (streaming || err instanceof APIError) return new ProviderError('anthropic', 'stream', `Anthropic sent a broken stream: ${message}.`);
  if (err instanceof APIConnectionError) return new ProviderError('anthropic', 'network', `Anthropic at ${url} is unreachable: ${connectionCause(err)}.`);
  return new ProviderError('anthropic', 'network', `${providerName('anthropic')} failed: ${message}.`);
}

export function createAnthropicProvider(config: AnthropicConfig): ModelProvider {
  const client = new Anthropic({ apiKey: config.apiKey, baseURL: config.baseUrl || undefined, maxRetries: 0 });
  return {
    id: 'anthropic',
    async *stream(request: ChatRequest, options: StreamOptions): AsyncIterable<Chunk> {
      let streaming = false;
      try {
        const stream = await client.messages.create(toParams(request), { signal: options.signal, timeout: options.requestTimeoutMs });
        streaming = true;
        const mapper = new EventMapper();
        for await (const event of stream) yield* mapper.map(event);
      } catch (err) {
        throw toProviderError(err, options.signal, streaming, client.baseURL);
      }
    },
  };
}
