// A connection check: one tiny prompt through the router and a tier's providers.
import type { ModelProbeResult } from '../../../protocol/lsp';
import type { Tier } from '../../../protocol/llm';
import { tierHistory } from './history';
import type { Ledger } from './ledger';
import type { ModelSetup } from './modelSetup';
import { decideTier } from './router';
import { extractFeatures } from './taskFeatures';

export async function probeModels(setup: ModelSetup, ledger: Ledger, tier: Tier | undefined, signal: AbortSignal): Promise<ModelProbeResult> {
  const history = tierHistory(await ledger.entries());
  const decision = decideTier({ features: extractFeatures('probe', ''), available: setup.available, history, ...(tier ? { override: tier } : {}) });
  const completion = await setup.service.complete({
    task: 'probe',
    tier: decision.tier,
    signal,
    request: { system: 'You are a connectivity check.', messages: [{ role: 'user', content: 'Reply with the single word: ready' }], maxTokens: 16 },
  });
  const { entry } = completion;
  return {
    tier: decision.tier,
    reason: decision.reason,
    provider: completion.provider,
    model: completion.model,
    answer: completion.text.trim().slice(0, 200),
    latencyMs: entry.latencyMs,
    inputTokens: entry.inputTokens,
    outputTokens: entry.outputTokens,
    costUsd: entry.costUsd,
  };
}
