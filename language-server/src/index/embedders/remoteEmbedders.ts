// Embeddings from a model server, over plain HTTP: OpenAI (and compatible gateways), Azure
// OpenAI deployments, and Ollama's /api/embed. The dimension is learned from a first call.
import { EmbedderError, normalize, type Embedder } from './embedder';

export interface RemoteEmbedderOptions {
  kind: 'openai' | 'azure' | 'ollama';
  /** Model name (OpenAI, Ollama) or deployment name (Azure). */
  model: string;
  baseUrl: string;
  apiKey?: string;
  /** Azure's api-version query parameter. */
  apiVersion?: string;
  batchSize?: number;
}

const timeoutMs = 60_000;

export class RemoteEmbedder implements Embedder {
  readonly id: string;
  dimensions = 0;

  private constructor(private readonly options: RemoteEmbedderOptions) {
    this.id = `${options.kind}:${options.model}`;
  }

  /** Connects and learns the dimension with one tiny request. */
  static async connect(options: RemoteEmbedderOptions, signal?: AbortSignal): Promise<RemoteEmbedder> {
    const embedder = new RemoteEmbedder(options);
    const [probe] = await embedder.request(['dimension probe'], signal);
    embedder.dimensions = probe.length;
    return embedder;
  }

  async embed(batch: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const size = this.options.batchSize ?? 64;
    const out: Float32Array[] = [];
    for (let i = 0; i < batch.length; i += size) out.push(...(await this.request(batch.slice(i, i + size), signal)));
    return out;
  }

  private target(): { url: string; headers: Record<string, string>; body: (input: string[]) => unknown } {
    const o = this.options;
    const base = o.baseUrl.replace(/\/+$/, '');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.kind === 'ollama') return { url: `${base}/api/embed`, headers, body: (input) => ({ model: o.model, input }) };
    if (o.kind === 'azure') {
      if (o.apiKey) headers['api-key'] = o.apiKey;
      const url = `${base}/openai/deployments/${encodeURIComponent(o.model)}/embeddings?api-version=${o.apiVersion ?? '2024-10-21'}`;
      return { url, headers, body: (input) => ({ input }) };
    }
    if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
    return { url: `${base}/embeddings`, headers, body: (input) => ({ model: o.model, input, encoding_format: 'float' }) };
  }

  private async request(input: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const { url, headers, body } = this.target();
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body(input)), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new EmbedderError(`Cannot reach the ${this.options.kind} embeddings server at ${new URL(url).origin} (${(err as Error).message}).`);
    }
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
      throw new EmbedderError(`The ${this.options.kind} embeddings server answered ${response.status}${detail ? `: ${detail}` : ''}.`);
    }
    const json = (await response.json()) as { data?: Array<{ embedding: number[]; index?: number }>; embeddings?: number[][] };
    const vectors = json.embeddings ?? json.data?.sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding);
    if (!Array.isArray(vectors) || vectors.length !== input.length || vectors.some((v) => !Array.isArray(v) || v.length === 0)) {
      throw new EmbedderError(`The ${this.options.kind} embeddings server sent an answer without one vector per input.`);
    }
    if (this.dimensions && vectors.some((v) => v.length !== this.dimensions)) {
      throw new EmbedderError(`The ${this.options.kind} model changed its dimension (expected ${this.dimensions}).`);
    }
    return vectors.map((v) => normalize(Float32Array.from(v)));
  }
}
