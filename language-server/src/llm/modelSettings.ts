// Everything the model layer reads from configuration, from the editor's `qlp` settings section
// or from the command line's environment, with the defaults of protocol/settings.ts.
import { settingDefault } from '../../../protocol/settings';
import type { Budgets } from './budget';
import { defaultProviderSettings, providerSettingsFromEnvironment, type KeyLookup, type ProviderSettings } from './providerConfig';
import { defaultRetryPolicy, type RetryPolicy } from './retry';

export interface ModelSettings {
  providers: ProviderSettings;
  budgets: Budgets;
  pricing: unknown;
  timeouts: { requestMs: number; idleMs: number };
  retry: RetryPolicy;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the editor's settings are nested JSON, read field by field with fallbacks
type Section = Record<string, any>;

const str = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

function defaults(): Omit<ModelSettings, 'providers'> {
  return {
    budgets: { perGenerationUsd: settingDefault<number>('qlp.budget.perGenerationUsd'), perDayUsd: settingDefault<number>('qlp.budget.perDayUsd') },
    pricing: {},
    timeouts: {
      requestMs: settingDefault<number>('qlp.models.requestTimeoutSeconds') * 1000,
      idleMs: settingDefault<number>('qlp.models.idleTimeoutSeconds') * 1000,
    },
    retry: { ...defaultRetryPolicy, maxAttempts: settingDefault<number>('qlp.models.maxAttempts') },
  };
}

/** From the editor's `qlp` section (as `workspace/configuration` returns it: nested objects). */
export function modelSettingsFromEditor(qlp: Section | null | undefined): ModelSettings {
  const base = defaults();
  const p = defaultProviderSettings();
  const providers = qlp?.providers ?? {};
  const providerSettings: ProviderSettings = {
    openai: { baseUrl: str(providers.openai?.baseUrl, p.openai.baseUrl) },
    azure: {
      endpoint: str(providers.azure?.endpoint, p.azure.endpoint),
      apiVersion: str(providers.azure?.apiVersion, p.azure.apiVersion) || p.azure.apiVersion,
      deployment: str(providers.azure?.deployment, p.azure.deployment),
    },
    anthropic: { baseUrl: str(providers.anthropic?.baseUrl, p.anthropic.baseUrl) },
    groq: { baseUrl: str(providers.groq?.baseUrl, p.groq.baseUrl) || p.groq.baseUrl },
    local: { baseUrl: str(providers.local?.baseUrl, p.local.baseUrl) || p.local.baseUrl, model: str(providers.local?.model, p.local.model) },
    preferred: Array.isArray(providers.preferred) ? providers.preferred : p.preferred,
    tiers: { T0: str(qlp?.tiers?.T0, ''), T1: str(qlp?.tiers?.T1, ''), T2: str(qlp?.tiers?.T2, ''), T3: str(qlp?.tiers?.T3, '') },
  };
  return {
    providers: providerSettings,
    budgets: {
      perGenerationUsd: num(qlp?.budget?.perGenerationUsd, base.budgets.perGenerationUsd),
      perDayUsd: num(qlp?.budget?.perDayUsd, base.budgets.perDayUsd),
    },
    pricing: qlp?.pricing ?? {},
    timeouts: {
      requestMs: num(qlp?.models?.requestTimeoutSeconds, base.timeouts.requestMs / 1000) * 1000,
      idleMs: num(qlp?.models?.idleTimeoutSeconds, base.timeouts.idleMs / 1000) * 1000,
    },
    retry: { ...base.retry, maxAttempts: num(qlp?.models?.maxAttempts, base.retry.maxAttempts) },
  };
}

/** From the command line's environment (the CLI contract's variables, plus QLP_BUDGET_* and QLP_PRICING). */
export function modelSettingsFromEnvironment(env: NodeJS.ProcessEnv): { settings: ModelSettings; keyOf: KeyLookup } {
  const base = defaults();
  const { settings: providers, keyOf } = providerSettingsFromEnvironment(env);
  let pricing: unknown = {};
  if (env.QLP_PRICING) {
    try {
      pricing = JSON.parse(env.QLP_PRICING);
    } catch {
      throw new Error('QLP_PRICING is not valid JSON; give it as {"provider:model": {"inputPerMTok": 1, "outputPerMTok": 2}}.');
    }
  }
  return {
    settings: {
      ...base,
      providers,
      pricing,
      budgets: {
        perGenerationUsd: num(Number(env.QLP_BUDGET_PER_GENERATION_USD ?? NaN), base.budgets.perGenerationUsd),
        perDayUsd: num(Number(env.QLP_BUDGET_PER_DAY_USD ?? NaN), base.budgets.perDayUsd),
      },
    },
    keyOf,
  };
}
