// What a call costs: a price table per provider and model prefix (USD per million tokens),
// documented in docs/pricing.md and overridable by settings or a file.
import type { ProviderId } from '../../../protocol/machine';

export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** `provider:model-prefix` → price; the longest matching prefix wins. */
export type PriceTable = Record<string, Price>;

const p = (inputPerMTok: number, outputPerMTok: number): Price => ({ inputPerMTok, outputPerMTok });

export const defaultPrices: PriceTable = {
  'openai:gpt-4.1-nano': p(0.1, 0.4),
  'openai:gpt-4.1-mini': p(0.4, 1.6),
  'openai:gpt-4.1': p(2, 8),
  'openai:gpt-4o-mini': p(0.15, 0.6),
  'openai:gpt-4o': p(2.5, 10),
  'openai:o3': p(2, 8),
  'openai:o4-mini': p(1.1, 4.4),
  'anthropic:claude-3-5-haiku': p(0.8, 4),
  'anthropic:claude-haiku-4-5': p(1, 5),
  'anthropic:claude-sonnet-4': p(3, 15),
  'anthropic:claude-opus-4': p(15, 75),
  'groq:llama-3.1-8b-instant': p(0.05, 0.08),
  'groq:llama-3.3-70b-versatile': p(0.59, 0.79),
  'groq:openai/gpt-oss-120b': p(0.15, 0.75),
  // A local server costs nothing per token.
  'local:': p(0, 0),
};

export interface CallCost {
  costUsd: number;
  /** False when no table entry matched: the cost is unknown, recorded as 0 and flagged. */
  priced: boolean;
}

export function priceOf(table: PriceTable, provider: ProviderId, model: string): Price | undefined {
  // Azure deployments are usually named after the OpenAI model they serve.
  const keys = provider === 'azure' ? [`azure:${model}`, `openai:${model}`] : [`${provider}:${model}`];
  let best: { length: number; price: Price } | undefined;
  for (const [prefix, price] of Object.entries(table)) {
    for (const key of keys) {
      if (key.startsWith(prefix) && (!best || prefix.length > best.length)) best = { length: prefix.length, price };
    }
  }
  return best?.price;
}

export function costOf(table: PriceTable, provider: ProviderId, model: string, inputTokens: number, outputTokens: number): CallCost {
  const price = priceOf(table, provider, model);
  if (!price) return { costUsd: 0, priced: false };
  return { costUsd: (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000, priced: true };
}

/** The default table with user overrides on top (malformed entries are reported, not used). */
export function mergePrices(overrides: unknown): { table: PriceTable; problems: string[] } {
  const table: PriceTable = { ...defaultPrices };
  const problems: string[] = [];
  if (!overrides || typeof overrides !== 'object') return { table, problems };
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    const price = value as Partial<Price>;
    const valid =
      key.includes(':') &&
      typeof price?.inputPerMTok === 'number' &&
      typeof price?.outputPerMTok === 'number' &&
      price.inputPerMTok >= 0 &&
      price.outputPerMTok >= 0;
    if (valid) table[key] = { inputPerMTok: price.inputPerMTok!, outputPerMTok: price.outputPerMTok! };
    else problems.push(`Price override "${key}" needs "provider:model" and non-negative inputPerMTok and outputPerMTok.`);
  }
  return { table, problems };
}
