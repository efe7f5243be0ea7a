// A loopback embeddings server speaking the real wire protocols: OpenAI `POST /v1/embeddings`,
// Azure `POST /openai/deployments/<name>/embeddings?api-version=…` (api-key header) and Ollama
// `POST /api/embed`. Vectors are letter counts of the words (deterministic, 26 dimensions), so
// texts that share words are near. It records requests and can answer with an HTTP error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbeddingRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: { model?: string; input: string[] };
}

export function letterVector(text: string): number[] {
  const v = new Array<number>(26).fill(0);
  for (const ch of text.toLowerCase()) {
    const i = ch.charCodeAt(0) - 97;
    if (i >= 0 && i < 26) v[i]++;
  }
  v[0] += 0.01; // never all zeros
  return v;
}

export class FakeEmbeddingServer {
  readonly requests: EmbeddingRequest[] = [];
  failWith: number | undefined;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        const body = JSON.parse(raw || '{}') as EmbeddingRequest['body'];
        const path = req.url ?? '';
        this.requests.push({ path, headers: req.headers, body });
        res.setHeader('content-type', 'application/json');
        if (this.failWith) {
          res.statusCode = this.failWith;
          return res.end(JSON.stringify({ error: { message: 'model not found' } }));
        }
        const vectors = body.input.map(letterVector);
        if (path.startsWith('/api/embed')) return res.end(JSON.stringify({ model: body.model, embeddings: vectors }));
        if (path.startsWith('/v1/embeddings') || path.includes('/openai/deployments/')) {
          return res.end(JSON.stringify({ object: 'list', data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })).reverse(), model: body.model ?? 'deployment', usage: { prompt_tokens: 1, total_tokens: 1 } }));
        }
        res.statusCode = 404;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
