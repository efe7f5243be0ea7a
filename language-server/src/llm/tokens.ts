// Counts tokens when a provider reports no usage (some local servers), with the o200k
// tokenizer; for other model families it is an estimate, and the ledger says so.
import type { Tiktoken } from 'js-tiktoken/lite' with { 'resolution-mode': 'import' };

let encoder: Promise<Tiktoken> | undefined;

function load(): Promise<Tiktoken> {
  // Loaded on first use: the rank table is large and most providers report usage.
  encoder ??= Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/o200k_base')]).then(
    ([{ Tiktoken }, ranks]) => new Tiktoken(ranks.default),
  );
  return encoder;
}

export async function countTokens(text: string): Promise<number> {
  if (!text) return 0;
  return (await load()).encode(text).length;
}
