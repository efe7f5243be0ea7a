// Embeddings from a model server through the OpenAI SDK (llm/openaiAdapter.ts): OpenAI (and
// compatible gateways), Azure OpenAI deployments, and Ollama's OpenAI-compatible /v1 endpoint.
// Where each is and its key come from the caller: the editor's settings and SecretStorage, or
// the command line's environment (embedderEndpoint). Transient failures (429, 5xx, timeouts, a
// cut connection) are retried by the model layer's policy (llm/retry.ts); the last failure is
// one sentence. The dimension is learned from a first call.
import type { ProviderId } from '../../../../protocol/machine';
import { throwIfAborted } from '../../common/cancellation';
import { ProviderError, providerName } from '../../llm/errors';
import type { OpenAiEmbeddings } from '../../llm/openaiAdapter';
import { defaultLocalBaseUrl, providerSettingsFromEnvironment, type ProviderSettings } from '../../llm/providerConfig';
import { defaultRetryPolicy, retryDelay, sleep, type RetryPolicy } from '../../llm/retry';
import type { RankWeights } from '../rank';
import { EmbedderError, normalize, type Embedder } from './embedder';
import { remoteRankWeights } from './remoteWeights';

export type RemoteKind = 'openai' | 'azure' | 'ollama';

/** Where a remote embedder is and the key it needs, resolved by the face that knows them. */
export interface RemoteEndpoint {
  /** OpenAI: the API base URL; Azure: the resource endpoint; Ollama: its /v1 URL. */
  baseUrl: string;
  apiKey?: string;
  /** Azure's api-version. */
  apiVersion?: string;
}

export interface RemoteEmbedderOptions extends RemoteEndpoint {
  kind: RemoteKind;
  /** Model name (OpenAI, Ollama) or deployment name (Azure). */
  model: string;
  batchSize?: number;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

const defaultTimeoutMs = 60_000;
const defaultOpenAiBaseUrl = 'https://api.openai.com/v1';

/** The model provider whose settings and key a remote embedder uses (Ollama is the local server). */
export const remoteProvider: Record<RemoteKind, Exclude<ProviderId, 'anthropic' | 'groq'>> = { openai: 'openai', azure: 'azure', ollama: 'local' };

/** The remote kind of an embedder id (it says whose settings and key it needs), or undefined for an offline one. */
export function remoteKindOf(embedderId: string): RemoteKind | undefined {
  const kind = embedderId.split(':')[0];
  return kind === 'openai' || kind === 'azure' || kind === 'ollama' ? kind : undefined;
}

/** The endpoint of a remote embedder from provider settings (the editor's or the environment's) and a key. */
export function embedderEndpoint(kind: RemoteKind, providers: ProviderSettings, apiKey: string | undefined): RemoteEndpoint {
  if (kind === 'azure') return { baseUrl: providers.azure.endpoint, apiKey, apiVersion: providers.azure.apiVersion };
  if (kind === 'ollama') return { baseUrl: providers.local.baseUrl || defaultLocalBaseUrl, apiKey };
  return { baseUrl: providers.openai.baseUrl || defaultOpenAiBaseUrl, apiKey };
}

/** The command line's endpoint: QLP's provider variables, and OLLAMA_HOST for Ollama. */
export async function endpointFromEnvironment(kind: RemoteKind, env: NodeJS.ProcessEnv): Promise<RemoteEndpoint> {
  const { settings, keyOf } = providerSettingsFromEnvironment(env);
  if (kind === 'ollama' && env.OLLAMA_HOST) {
    const host = env.OLLAMA_HOST.replace(/\/+$/, '');
    settings.local.baseUrl = `${host.startsWith('http') ? host : `http://${host}`}/v1`;
  }
  return embedderEndpoint(kind, settings, (await keyOf(remoteProvider[kind]))?.key);
}

const keyHint: Record<RemoteKind, string> = {
  openai: 'OPENAI_API_KEY',
  azure: 'AZURE_OPENAI_API_KEY',
  ollama: 'QLP_LOCAL_API_KEY',
};

export class RemoteEmbedder implements Embedder {
  readonly id: string;
  dimensions = 0;
  /** Weights fitted for this model, if any (remoteWeights.ts); else the defaults. */
  readonly rankWeights: RankWeights | undefined;

  private constructor(
    private readonly options: RemoteEmbedderOptions,
    private readonly client: OpenAiEmbeddings,
  ) {
    this.id = `${options.kind}:${options.model}`;
    this.rankWeights = remoteRankWeights[this.id];
  }

  /** Checks the endpoint, connects and learns the dimension with one tiny request. */
  static async connect(options: RemoteEmbedderOptions, signal?: AbortSignal): Promise<RemoteEmbedder> {
    const name = `${providerName(remoteProvider[options.kind])} embeddings`;
    if (!options.baseUrl) throw new EmbedderError(`${name} need an endpoint: set qlp.providers.azure.endpoint (or AZURE_OPENAI_ENDPOINT on the command line).`);
    if (options.kind !== 'ollama' && !options.apiKey) {
      throw new EmbedderError(`${name} need an API key: set one with "QLP: Set API key" (or ${keyHint[options.kind]} on the command line).`);
    }
    // The SDK loads with the first remote embedder, not with the index.
    const { createOpenAiEmbeddings } = await import('../../llm/openaiAdapter.js');
    const client = createOpenAiEmbeddings({
      id: remoteProvider[options.kind],
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      apiVersion: options.apiVersion,
    });
    const embedder = new RemoteEmbedder(options, client);
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

  private async request(input: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors = await this.withRetries(
      (s) => this.client.embed(this.options.model, input, { signal: s, timeoutMs: this.options.timeoutMs ?? defaultTimeoutMs }),
      signal,
    );
    const name = providerName(remoteProvider[this.options.kind]);
    if (vectors.length !== input.length || vectors.some((v) => v.length === 0))
      throw new EmbedderError(`${name} sent an embeddings answer without one vector per input.`);
    if (this.dimensions && vectors.some((v) => v.length !== this.dimensions))
      throw new EmbedderError(`${name}'s model ${this.options.model} changed its dimension (expected ${this.dimensions}).`);
    return vectors.map(normalize);
  }

  /** Tries again while the failure is transient and the policy allows; else one sentence. */
  private async withRetries<T>(call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const policy = this.options.retry ?? defaultRetryPolicy;
    const s = signal ?? new AbortController().signal;
    for (let attempt = 1; ; attempt++) {
      try {
        return await call(s);
      } catch (err) {
        throwIfAborted(s);
        if (!(err instanceof ProviderError)) throw err;
        const wait = retryDelay(err, attempt, policy);
        if (wait === undefined) {
          const reason = err.message.replace(/\.$/, '');
          throw new EmbedderError(
            err.transient && attempt > 1
              ? `Embedding with ${this.id} failed after ${attempt} attempts: ${reason}.`
              : `Embedding with ${this.id} failed: ${reason}.`,
          );
        }
        await sleep(wait, s).catch(() => throwIfAborted(s));
      }
    }
  }
}
