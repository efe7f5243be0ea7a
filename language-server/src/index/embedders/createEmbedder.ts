// Picks the embedder from its id: `learned` (default: the shipped code-search model, offline),
// `hash` (offline, no model), `openai[:model]`, `azure:<deployment>`, `ollama[:model]`. A remote embedder's endpoint and key are given by the
// editor (its settings and SecretStorage), else read from the command line's environment.
import { EmbedderError, type Embedder } from './embedder';
import { HashEmbedder } from './hashEmbedder';
import { LearnedEmbedder } from './learnedEmbedder';
import { endpointFromEnvironment, RemoteEmbedder, type RemoteEndpoint, type RemoteKind } from './remoteEmbedders';

export const defaultEmbedderId = 'learned';

export async function createEmbedder(id: string, env: NodeJS.ProcessEnv, signal?: AbortSignal, endpoint?: RemoteEndpoint): Promise<Embedder> {
  const [kind, ...rest] = id.split(':');
  const model = rest.join(':');
  const where = (remote: RemoteKind) => endpoint ?? endpointFromEnvironment(remote, env);
  switch (kind) {
    case 'hash':
      return new HashEmbedder();
    case 'learned':
      return LearnedEmbedder.open();
    case 'openai':
      return RemoteEmbedder.connect({ kind, model: model || 'text-embedding-3-small', ...(await where(kind)) }, signal);
    case 'azure':
      if (!model) throw new EmbedderError('Azure embeddings need a deployment: azure:<deployment>.');
      return RemoteEmbedder.connect({ kind, model, ...(await where(kind)) }, signal);
    case 'ollama':
      return RemoteEmbedder.connect({ kind, model: model || 'nomic-embed-text', ...(await where(kind)) }, signal);
    default:
      throw new EmbedderError(`Unknown embedder '${id}'; use learned, hash, openai[:model], azure:<deployment> or ollama[:model].`);
  }
}
