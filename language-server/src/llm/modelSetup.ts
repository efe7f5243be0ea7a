// Builds the model layer from settings and a key lookup: shared by the server and the CLI.
import { join } from 'node:path';
import type { Tier } from '../../../protocol/llm';
import type { ProviderProbe } from '../../../protocol/machine';
import { Ledger } from './ledger';
import { ModelService, type ModelServiceDeps } from './modelService';
import type { ModelSettings } from './modelSettings';
import { mergePrices } from './pricing';
import { configuredProviders, providerProbes, type KeyLookup, type ProviderAccess } from './providerConfig';
import { availableTiers } from './tierModels';

export interface ModelSetup {
  service: ModelService;
  configured: ProviderAccess[];
  available: Tier[];
  probes: ProviderProbe[];
  /** Problems with the configuration worth telling the user (bad price overrides). */
  problems: string[];
}

/** The ledger lives in QLP's data folder, so editor and command line share daily budgets. */
export function ledgerFile(dataDir: string): string {
  return join(dataDir, 'ledger.jsonl');
}

export async function setUpModels(
  settings: ModelSettings,
  keyOf: KeyLookup,
  ledger: Ledger,
  extra: Pick<ModelServiceDeps, 'onRecorded' | 'createProvider' | 'now'> = {},
): Promise<ModelSetup> {
  const configured = await configuredProviders(settings.providers, keyOf);
  const { table, problems } = mergePrices(settings.pricing);
  const service = new ModelService({
    settings: settings.providers,
    providers: configured,
    ledger,
    prices: table,
    budgets: settings.budgets,
    timeouts: settings.timeouts,
    retry: settings.retry,
    ...extra,
  });
  return { service, configured, available: availableTiers(settings.providers, configured), probes: providerProbes(settings.providers, configured), problems };
}
