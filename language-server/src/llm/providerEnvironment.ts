// Which model providers the environment configures (the command line's configuration, and a
// fallback for the server). Only the presence of keys is read here; their values never leave.
import type { ProviderId, ProviderProbe } from '../../../protocol/machine';

export const defaultLocalBaseUrl = 'http://127.0.0.1:11434/v1';

type Env = NodeJS.ProcessEnv;

const probes: Record<ProviderId, (env: Env) => ProviderProbe> = {
  openai: (env) => keyed('openai', env, 'OPENAI_API_KEY', env.OPENAI_BASE_URL),
  azure: (env) =>
    env.AZURE_OPENAI_API_KEY && env.AZURE_OPENAI_ENDPOINT
      ? { id: 'azure', configured: true, source: 'AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT', baseUrl: env.AZURE_OPENAI_ENDPOINT }
      : { id: 'azure', configured: false },
  anthropic: (env) => keyed('anthropic', env, 'ANTHROPIC_API_KEY', env.ANTHROPIC_BASE_URL),
  groq: (env) => keyed('groq', env, 'GROQ_API_KEY', env.GROQ_BASE_URL),
  // A local server needs no key: it counts as configured once its base URL is given.
  local: (env) =>
    env.QLP_LOCAL_BASE_URL
      ? { id: 'local', configured: true, source: 'QLP_LOCAL_BASE_URL', baseUrl: env.QLP_LOCAL_BASE_URL }
      : { id: 'local', configured: false, baseUrl: defaultLocalBaseUrl },
};

function keyed(id: ProviderId, env: Env, keyVariable: string, baseUrl: string | undefined): ProviderProbe {
  if (!env[keyVariable]) return { id, configured: false, ...(baseUrl ? { baseUrl } : {}) };
  return { id, configured: true, source: keyVariable, ...(baseUrl ? { baseUrl } : {}) };
}

/** One entry per provider id, in the contract's order. */
export function providersFromEnvironment(env: Env = process.env): ProviderProbe[] {
  return (Object.keys(probes) as ProviderId[]).map((id) => probes[id](env));
}
