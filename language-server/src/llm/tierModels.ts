// Which provider and model serve each tier: explicit `qlp.tiers.*` mappings, else sensible
// defaults per provider, in the user's preferred provider order.
import { tiers, type Tier } from '../../../protocol/llm';
import { providerIds, type ProviderId } from '../../../protocol/machine';
import type { ProviderAccess, ProviderSettings } from './providerConfig';

export interface ModelTarget {
  provider: ProviderId;
  model: string;
}

/** Defaults for providers whose model names are known; Azure and local servers use the user's. */
export const defaultTierModels: Record<'openai' | 'anthropic' | 'groq', Record<Tier, string>> = {
  openai: { T0: 'gpt-4.1-nano', T1: 'gpt-4.1-mini', T2: 'gpt-4.1', T3: 'o3' },
  anthropic: { T0: 'claude-3-5-haiku-latest', T1: 'claude-haiku-4-5', T2: 'claude-sonnet-4-5', T3: 'claude-opus-4-1' },
  groq: { T0: 'llama-3.1-8b-instant', T1: 'llama-3.3-70b-versatile', T2: 'openai/gpt-oss-120b', T3: 'openai/gpt-oss-120b' },
};

/** Parses `provider:model, provider:model`; entries that do not parse are reported. */
export function parseTierMapping(value: string): { targets: ModelTarget[]; problems: string[] } {
  const targets: ModelTarget[] = [];
  const problems: string[] = [];
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const provider = entry.slice(0, colon) as ProviderId;
    const model = entry.slice(colon + 1).trim();
    if (colon <= 0 || !providerIds.includes(provider) || !model) problems.push(`"${entry}" is not provider:model (providers: ${providerIds.join(', ')}).`);
    else targets.push({ provider, model });
  }
  return { targets, problems };
}

function defaultModel(provider: ProviderId, tier: Tier, settings: ProviderSettings): string {
  if (provider === 'azure') return settings.azure.deployment;
  if (provider === 'local') return settings.local.model;
  return defaultTierModels[provider][tier];
}

/** The targets for a tier, first choice first; the rest are its fallbacks. */
export function tierTargets(tier: Tier, settings: ProviderSettings, configured: readonly ProviderAccess[]): ModelTarget[] {
  const ready = new Set(configured.map((p) => p.id));
  const mapping = settings.tiers[tier]?.trim();
  if (mapping) return parseTierMapping(mapping).targets.filter((t) => ready.has(t.provider));
  return configured.map((p) => ({ provider: p.id, model: defaultModel(p.id, tier, settings) })).filter((t) => t.model);
}

/** Tiers with at least one target. */
export function availableTiers(settings: ProviderSettings, configured: readonly ProviderAccess[]): Tier[] {
  return tiers.filter((tier) => tierTargets(tier, settings, configured).length > 0);
}
