// Picks the embedder from its id: `hash` (default, offline), `openai[:model]`,
// `azure:<deployment>`, `ollama[:model]`; connection details come from the environment.
import { EmbedderError, type Embedder } from './embedder';
import { HashEmbedder } from './hashEmbedder';
import { RemoteEmbedder } from './remoteEmbedders';

export const defaultEmbedderId = 'hash';

export async function createEmbedder(id: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<Embedder> {
  const [kind, ...rest] = id.split(':');
  const model = rest.join(':');
  switch (kind) {
    case 'hash':
      return new HashEmbedder();
    case 'openai':
      return RemoteEmbedder.connect({ kind, model: model || 'text-embedding-3-small', baseUrl: env.OPENAI_BASE_URL || 'https://api.openai.com/v1', apiKey: env.OPENAI_API_KEY }, signal);
    case 'azure':
      if (!model || !env.AZURE_OPENAI_ENDPOINT) throw new EmbedderError('Azure embeddings need a deployment (azure:<deployment>) and AZURE_OPENAI_ENDPOINT.');
      return RemoteEmbedder.connect({ kind, model, baseUrl: env.AZURE_OPENAI_ENDPOINT, apiKey: env.AZURE_OPENAI_API_KEY, apiVersion: env.AZURE_OPENAI_API_VERSION }, signal);
    case 'ollama': {
      const host = env.OLLAMA_HOST || 'http://127.0.0.1:11434';
      return RemoteEmbedder.connect({ kind, model: model || 'nomic-embed-text', baseUrl: host.startsWith('http') ? host : `http://${host}` }, signal);
    }
    default:
      throw new EmbedderError(`Unknown embedder '${id}'; use hash, openai[:model], azure:<deployment> or ollama[:model].`);
  }
}
