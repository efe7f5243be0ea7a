// A loopback embeddings server speaking the real wire format of OpenAI's `POST …/embeddings`
// (OpenAI and Ollama's OpenAI-compatible /v1) and Azure's `POST /openai/deployments/<name>/
// embeddings?api-version=…`: floats, or base64 float32 when asked (the SDK asks by default).
// Vectors are letter counts of the words (deterministic, 26 dimensions), so texts that share
// words are near. It records requests and can be scripted with faults: an HTTP error status (with
// Retry-After), a cut connection, a stall.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbeddingRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: { model?: string; input: string[]; encoding_format?: 'float' | 'base64' };
}

export type Fault = { status: number; message?: string; retryAfter?: string } | { cut: true } | { stallMs: number };

export function letterVector(text: string): number[] {
  const v = new Array<number>(26).fill(0);
  for (const ch of text.toLowerCase()) {
    const i = ch.charCodeAt(0) - 97;
    if (i >= 0 && i < 26) v[i]++;
  }
  v[0] += 0.01; // never all zeros
  return v;
}

const base64Floats = (v: number[]) => Buffer.from(Float32Array.from(v).buffer).toString('base64');

export class FakeEmbeddingServer {
  readonly requests: EmbeddingRequest[] = [];
  /** Every request fails this way while set (after the scripted faults). */
  failWith: Fault | undefined;
  private faults: Fault[] = [];
  private server: Server | undefined;

  /** Faults used in order, one per request; then normal answers (or `failWith`). */
  script(...faults: Fault[]): this {
    this.faults.push(...faults);
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => this.answer(req, res, raw));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  private answer(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const body = JSON.parse(raw || '{}') as EmbeddingRequest['body'];
    const path = req.url ?? '';
    this.requests.push({ path, headers: req.headers, body });
    const fault = this.faults.shift() ?? this.failWith;
    if (fault && 'cut' in fault) return void req.socket.destroy();
    if (fault && 'stallMs' in fault) return void setTimeout(() => res.destroy(), fault.stallMs);
    res.setHeader('content-type', 'application/json');
    if (fault) {
      res.statusCode = fault.status;
      if (fault.retryAfter !== undefined) res.setHeader('retry-after', fault.retryAfter);
      return void res.end(JSON.stringify({ error: { message: fault.message ?? 'server error', type: 'server_error' } }));
    }
    if (!/^\/v1\/embeddings$|^\/openai\/deployments\/[^/]+\/embeddings\?api-version=/.test(path)) {
      res.statusCode = 404;
      return void res.end(JSON.stringify({ error: { message: `no route ${path}` } }));
    }
    const encode = body.encoding_format === 'base64' ? base64Floats : (v: number[]) => v;
    // Answered out of order, as the API allows: clients must sort by index.
    const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: encode(letterVector(text)) })).reverse();
    res.end(JSON.stringify({ object: 'list', data, model: body.model ?? 'deployment', usage: { prompt_tokens: 1, total_tokens: 1 } }));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
