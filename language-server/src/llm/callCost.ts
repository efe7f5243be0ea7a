// What one model call may cost before it starts (its reservation) and what it cost once it ended,
// including calls that were cancelled or cut before the provider reported usage.
import type { ProviderId } from '../../../protocol/machine';
import type { ProviderError } from './errors';
import { costOf, type PriceTable } from './pricing';
import { countTokens } from './tokens';
import type { ChatRequest } from './types';

/** Everything the provider reads as input: the system prompt, the messages and the tool schemas. */
export function promptTextOf(request: ChatRequest): string {
  const tools = request.tools?.length ? JSON.stringify(request.tools) : '';
  return [request.system ?? '', ...request.messages.map((m) => m.content), tools].join('\n');
}

// o200k counts are exact for OpenAI's current models; other families' tokenizers cut the same
// text into up to about a fifth more tokens, and every message carries a few framing tokens.
const otherTokenizerShare = 0.25;
const framingTokensPerMessage = 8;

/** The most input tokens the provider can bill for this request. */
export async function worstCaseInputTokens(request: ChatRequest): Promise<number> {
  const counted = await countTokens(promptTextOf(request));
  return Math.ceil(counted * (1 + otherTokenizerShare)) + framingTokensPerMessage * (request.messages.length + 1);
}

/** The most a call can cost: its whole input plus its full `maxTokens` of output. */
export async function worstCaseCost(prices: PriceTable, provider: ProviderId, request: ChatRequest): Promise<number> {
  return costOf(prices, provider, request.model, await worstCaseInputTokens(request), request.maxTokens).costUsd;
}

/**
 * Whether a failed attempt may have been billed. Once any of the answer arrived, yes. Before
 * that, an error status or an unreachable endpoint means nothing was processed; a cancel or a
 * timeout leaves the prompt with the provider, which may bill it.
 */
export function mayHaveBilled(error: ProviderError, answerStarted: boolean): boolean {
  if (answerStarted) return true;
  return error.kind === 'cancelled' || error.kind === 'timeout' || error.kind === 'stream';
}

export interface SettledUsage {
  inputTokens: number;
  outputTokens: number;
  usageSource: 'provider' | 'estimated';
}

/**
 * The tokens a call is charged: the provider's figures when it reported them; otherwise counted
 * with the tokenizer from the prompt sent and the text received (a cancel mid-stream, a cut
 * stream, an idle timeout); none for an attempt that sent nothing billable.
 */
export async function settledUsage(
  request: ChatRequest,
  received: string,
  reported: { inputTokens: number; outputTokens: number } | undefined,
  billable: boolean,
): Promise<SettledUsage> {
  if (!billable) return { inputTokens: 0, outputTokens: 0, usageSource: 'estimated' };
  if (reported) return { ...reported, usageSource: 'provider' };
  const [inputTokens, outputTokens] = await Promise.all([countTokens(promptTextOf(request)), countTokens(received)]);
  return { inputTokens, outputTokens, usageSource: 'estimated' };
}
