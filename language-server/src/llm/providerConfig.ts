// Which providers are configured and how to reach them: from editor settings plus keys from
// SecretStorage (the server), or from the environment (the command line). Keys stay in memory
// for the call that needs them; reports say only where a configuration came from.
import type { Tier } from '../../../protocol/llm';
import { providerIds, type ProviderId, type ProviderProbe } from '../../../protocol/machine';

export const defaultLocalBaseUrl = 'http://127.0.0.1:11434/v1';
export const defaultGroqBaseUrl = 'https://api.groq.com/openai/v1';

export interface ProviderSettings {
  openai: { baseUrl: string };
  azure: { endpoint: string; apiVersion: string; deployment: string };
  anthropic: { baseUrl: string };
  groq: { baseUrl: string };
  /** `modelSource` names where the model came from (a setting or a variable), for reports. */
  local: { baseUrl: string; model: string; modelSource?: string };
  /** Order in which configured providers serve a tier that has no explicit mapping. */
  preferred: ProviderId[];
  /** Per tier: `provider:model[, provider:model…]`, or empty for the defaults. */
  tiers: Record<Tier, string>;
}

/** A configured provider, ready for an adapter. */
export interface ProviderAccess {
  id: ProviderId;
  apiKey?: string;
  baseUrl?: string;
  apiVersion?: string;
  /** Where the key or configuration came from (a variable or "SecretStorage"), for reports. */
  source: string;
}

export type KeyLookup = (id: ProviderId) => Promise<{ key: string; source: string } | undefined>;

export const defaultProviderSettings = (): ProviderSettings => ({
  openai: { baseUrl: '' },
  azure: { endpoint: '', apiVersion: '2024-10-21', deployment: '' },
  anthropic: { baseUrl: '' },
  groq: { baseUrl: defaultGroqBaseUrl },
  local: { baseUrl: defaultLocalBaseUrl, model: '' },
  preferred: ['anthropic', 'openai', 'azure', 'groq', 'local'],
  tiers: { T0: '', T1: '', T2: '', T3: '' },
});

/** The providers that can be called, in `preferred` order. */
export async function configuredProviders(settings: ProviderSettings, keyOf: KeyLookup): Promise<ProviderAccess[]> {
  const found: ProviderAccess[] = [];
  for (const id of orderedIds(settings)) {
    const key = await keyOf(id);
    if (id === 'local') {
      // A local server needs no key, only the model to use.
      if (settings.local.model)
        found.push({
          id,
          apiKey: key?.key,
          baseUrl: settings.local.baseUrl || defaultLocalBaseUrl,
          source: settings.local.modelSource ?? 'qlp.providers.local.model',
        });
      continue;
    }
    if (!key) continue;
    if (id === 'azure') {
      if (settings.azure.endpoint)
        found.push({ id, apiKey: key.key, baseUrl: settings.azure.endpoint, apiVersion: settings.azure.apiVersion, source: key.source });
      continue;
    }
    found.push({ id, apiKey: key.key, baseUrl: settings[id].baseUrl || undefined, source: key.source });
  }
  return found;
}

function orderedIds(settings: ProviderSettings): ProviderId[] {
  return [...new Set([...settings.preferred.filter((id) => providerIds.includes(id)), ...providerIds])];
}

/** What `qlp doctor` and `qlp/health` show: configured or not, and from where — never a key. */
export function providerProbes(settings: ProviderSettings, configured: ProviderAccess[]): ProviderProbe[] {
  return providerIds.map((id) => {
    const access = configured.find((p) => p.id === id);
    const baseUrl = id === 'local' ? settings.local.baseUrl || defaultLocalBaseUrl : id === 'azure' ? settings.azure.endpoint : settings[id].baseUrl;
    return { id, configured: Boolean(access), ...(access ? { source: access.source } : {}), ...(baseUrl ? { baseUrl } : {}) };
  });
}

const envKeys: Record<Exclude<ProviderId, 'local'>, string> = {
  openai: 'OPENAI_API_KEY',
  azure: 'AZURE_OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  groq: 'GROQ_API_KEY',
};

/** The command line's configuration: the environment variables of the CLI contract. */
export function providerSettingsFromEnvironment(env: NodeJS.ProcessEnv): { settings: ProviderSettings; keyOf: KeyLookup } {
  const settings = defaultProviderSettings();
  settings.openai.baseUrl = env.OPENAI_BASE_URL ?? '';
  settings.azure.endpoint = env.AZURE_OPENAI_ENDPOINT ?? '';
  settings.azure.apiVersion = env.OPENAI_API_VERSION || settings.azure.apiVersion;
  settings.azure.deployment = env.AZURE_OPENAI_DEPLOYMENT ?? '';
  settings.anthropic.baseUrl = env.ANTHROPIC_BASE_URL ?? '';
  settings.groq.baseUrl = env.GROQ_BASE_URL || settings.groq.baseUrl;
  settings.local.baseUrl = env.QLP_LOCAL_BASE_URL || settings.local.baseUrl;
  settings.local.model = env.QLP_LOCAL_MODEL ?? '';
  settings.local.modelSource = 'QLP_LOCAL_MODEL';
  for (const tier of ['T0', 'T1', 'T2', 'T3'] as const) settings.tiers[tier] = env[`QLP_TIER_${tier}`] ?? '';
  const keyOf: KeyLookup = async (id) => {
    if (id === 'local') return env.QLP_LOCAL_API_KEY ? { key: env.QLP_LOCAL_API_KEY, source: 'QLP_LOCAL_API_KEY' } : undefined;
    const variable = envKeys[id];
    return env[variable] ? { key: env[variable]!, source: variable } : undefined;
  };
  return { settings, keyOf };
}
