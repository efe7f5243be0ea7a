// What the spending tests share: a model layer whose one provider is a local server at a price,
// on the loopback model server (every token costs, so budgets and the ledger can be checked to
// the cent), and ledger entries.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEntry } from '../../../protocol/llm';
import { Ledger } from '../../../language-server/src/llm/ledger';
import type { ModelCall } from '../../../language-server/src/llm/modelService';
import { modelSettingsFromEnvironment } from '../../../language-server/src/llm/modelSettings';
import { setUpModels } from '../../../language-server/src/llm/modelSetup';

/** USD per million tokens, input and output alike: $0.0001 a token. */
export const pricePerMTok = 100;

export const tempLedger = (): Ledger => new Ledger(join(mkdtempSync(join(tmpdir(), 'qlp-spend-')), 'ledger.jsonl'));

export interface PricedOptions {
  baseUrl: string;
  perGenerationUsd?: number;
  perDayUsd?: number;
  maxAttempts?: number;
  idleMs?: number;
  ledger?: Ledger;
}

export async function pricedModel(options: PricedOptions) {
  const { settings, keyOf } = modelSettingsFromEnvironment({ QLP_LOCAL_BASE_URL: options.baseUrl, QLP_LOCAL_MODEL: 'priced' });
  settings.pricing = { 'local:priced': { inputPerMTok: pricePerMTok, outputPerMTok: pricePerMTok } };
  settings.budgets = { perGenerationUsd: options.perGenerationUsd ?? 0, perDayUsd: options.perDayUsd ?? 0 };
  settings.retry = { ...settings.retry, baseDelayMs: 5, maxDelayMs: 10, maxAttempts: options.maxAttempts ?? 1 };
  if (options.idleMs) settings.timeouts = { ...settings.timeouts, idleMs: options.idleMs };
  const ledger = options.ledger ?? tempLedger();
  const setup = await setUpModels(settings, keyOf, ledger);
  return { ...setup, ledger };
}

export const fileCall = (over: Partial<ModelCall> = {}): ModelCall => ({
  task: 'file',
  tier: 'T1',
  signal: new AbortController().signal,
  request: { system: 'Write code.', messages: [{ role: 'user', content: 'Write add(a, b).' }], maxTokens: 1 },
  ...over,
});

/** Sums the ledger's recorded spend. */
export async function recordedSpend(ledger: Ledger): Promise<number> {
  return (await ledger.entries()).reduce((sum, e) => sum + e.costUsd, 0);
}

/** A paid call recorded now; `over` changes any field. */
export const ledgerEntry = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  at: new Date().toISOString(),
  provider: 'openai',
  model: 'gpt-4.1-mini',
  tier: 'T1',
  task: 'file',
  inputTokens: 1000,
  outputTokens: 500,
  usageSource: 'provider',
  latencyMs: 100,
  costUsd: 0.01,
  outcome: 'ok',
  billable: true,
  ...over,
});
