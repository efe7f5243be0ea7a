// A loopback model server that speaks the providers' real wire protocols, scripted per test:
// OpenAI chat completions (SSE, usage chunk, tool calls) at /v1/chat/completions, the Azure
// deployment URL shape with api-version, and Anthropic Messages SSE events at /v1/messages.
// It can inject faults: an HTTP status (429 + Retry-After, 500, 401), a stall, a cut stream,
// a malformed event. `GET …/models` lists the models given to `listModels` (what an
// OpenAI-compatible server answers; QLP's local-server set-up asks it). The real SDKs talk to it;
// nothing is mocked in-process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply =
  | {
      text: string[];
      toolCalls?: Array<{ name: string; args: string[] }>;
      /** Tokens reported by the provider; `false` reports none. */
      usage?: { input: number; output: number } | false;
      finish?: 'stop' | 'length' | 'tool_calls';
      /** Pause before each chunk, in ms. */
      delayMs?: number;
      /** After this many text chunks: stall (send nothing more), cut the connection, or send garbage. */
      fault?: { after: number; kind: 'stall' | 'cut' | 'malformed' };
    }
  | { status: number; message?: string; headers?: Record<string, string> };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
  protocol: 'openai' | 'azure' | 'anthropic';
}

export type Responder = (request: RecordedRequest) => Reply;

export class FakeModelServer {
  readonly requests: RecordedRequest[] = [];
  /** Model ids `GET …/models` lists; those requests are counted here, not in `requests`. */
  readonly modelIds: string[] = [];
  modelListRequests = 0;
  /** performance.now() when the first text chunk of the latest response was written. */
  firstTextWrittenAt = 0;
  private queue: Reply[] = [];
  private responder: Responder | undefined;
  private server: Server | undefined;
  private port = 0;
  /** Open responses, so close() can end stalled streams. */
  private readonly open = new Set<ServerResponse>();

  /** Replies used in order, one per request; after them, the responder (if any). */
  script(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  listModels(...ids: string[]): this {
    this.modelIds.push(...ids);
    return this;
  }

  respondWith(responder: Responder): this {
    this.responder = responder;
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Base URL for OpenAI-compatible clients (OpenAI, Groq, local servers). */
  get openaiBaseUrl(): string {
    return `${this.origin}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (req.method === 'GET' && url.pathname.endsWith('/models')) {
      this.modelListRequests++;
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ object: 'list', data: this.modelIds.map((id) => ({ id, object: 'model', owned_by: 'fake' })) }));
      return;
    }
    let raw = '';
    for await (const part of req) raw += part;
    const protocol = url.pathname.endsWith('/messages') ? 'anthropic' : url.pathname.includes('/openai/deployments/') ? 'azure' : 'openai';
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: raw ? JSON.parse(raw) : undefined,
      protocol,
    };
    this.requests.push(recorded);
    const reply = this.queue.shift() ?? this.responder?.(recorded) ?? { status: 500, message: 'the fake model server has no reply scripted' };
    this.open.add(res);
    res.on('close', () => this.open.delete(res));
    if ('status' in reply) return this.sendError(res, protocol, reply);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const events = protocol === 'anthropic' ? anthropicEvents(recorded, reply) : openaiEvents(recorded, reply);
    let textSent = 0;
    for (const event of events) {
      if (res.destroyed) return;
      if (reply.fault && event.isText && textSent === reply.fault.after) {
        if (reply.fault.kind === 'stall') return; // keep the socket open, send nothing more
        if (reply.fault.kind === 'cut') {
          await new Promise((r) => setTimeout(r, 50)); // let what was written reach the client first
          return void res.socket?.destroy();
        }
        res.write('data: {"choices": [ this is not json\n\n');
        res.write('event: content_block_delta\ndata: {not json either\n\n');
        return void res.end();
      }
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      res.write(event.data);
      if (event.isText && textSent++ === 0) this.firstTextWrittenAt = performance.now();
    }
    res.end();
  }

  private sendError(
    res: ServerResponse,
    protocol: RecordedRequest['protocol'],
    reply: { status: number; message?: string; headers?: Record<string, string> },
  ): void {
    const message = reply.message ?? `scripted error ${reply.status}`;
    const body =
      protocol === 'anthropic'
        ? { type: 'error', error: { type: reply.status === 429 ? 'rate_limit_error' : reply.status === 401 ? 'authentication_error' : 'api_error', message } }
        : { error: { message, type: 'scripted_error', code: reply.status } };
    res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers }).end(JSON.stringify(body));
  }
}

interface WireEvent {
  data: string;
  isText: boolean;
}

const sse = (payload: unknown, isText = false): WireEvent => ({ data: `data: ${JSON.stringify(payload)}\n\n`, isText });
const named = (event: string, payload: unknown, isText = false): WireEvent => ({ data: `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`, isText });

function estimateInput(body: any): number {
  return Math.ceil(JSON.stringify(body?.messages ?? []).length / 4);
}

function* openaiEvents(req: RecordedRequest, reply: Extract<Reply, { text: string[] }>): Generator<WireEvent> {
  const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: req.body.model };
  yield sse({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  for (const text of reply.text) yield sse({ ...base, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] }, true);
  for (const [index, call] of (reply.toolCalls ?? []).entries()) {
    yield sse({
      ...base,
      choices: [
        {
          index: 0,
          delta: { tool_calls: [{ index, id: `call_${index}`, type: 'function', function: { name: call.name, arguments: '' } }] },
          finish_reason: null,
        },
      ],
    });
    for (const args of call.args)
      yield sse({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: args } }] }, finish_reason: null }] });
  }
  const finish = reply.finish ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
  yield sse({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
  if (reply.usage !== false && req.body.stream_options?.include_usage) {
    const usage = reply.usage ?? { input: estimateInput(req.body), output: reply.text.length };
    yield sse({ ...base, choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } });
  }
  yield { data: 'data: [DONE]\n\n', isText: false };
}

function* anthropicEvents(req: RecordedRequest, reply: Extract<Reply, { text: string[] }>): Generator<WireEvent> {
  const usage = reply.usage === false ? { input: 0, output: 0 } : (reply.usage ?? { input: estimateInput(req.body), output: reply.text.length });
  yield named('message_start', {
    type: 'message_start',
    message: {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: req.body.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: 1 },
    },
  });
  yield named('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  yield named('ping', { type: 'ping' });
  for (const text of reply.text) yield named('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, true);
  yield named('content_block_stop', { type: 'content_block_stop', index: 0 });
  for (const [i, call] of (reply.toolCalls ?? []).entries()) {
    const index = i + 1;
    yield named('content_block_start', {
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id: `toolu_${index}`, name: call.name, input: {} },
    });
    for (const args of call.args)
      yield named('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: args } });
    yield named('content_block_stop', { type: 'content_block_stop', index });
  }
  const stop = reply.finish === 'length' ? 'max_tokens' : reply.toolCalls?.length ? 'tool_use' : 'end_turn';
  yield named('message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output } });
  yield named('message_stop', { type: 'message_stop' });
}
