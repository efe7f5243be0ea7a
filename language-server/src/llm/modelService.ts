// The one entry point generation uses to call a model: the tier's providers in order (fallback),
// retries with backoff, budgets checked before every call, every call recorded in the ledger.
import type { LedgerEntry, Tier } from '../../../protocol/llm';
import type { ProviderId } from '../../../protocol/machine';
import { checkBudget, type Budgets } from './budget';
import { cancelledError, ProviderError, providerName } from './errors';
import { localDay, type Ledger } from './ledger';
import { costOf, type PriceTable } from './pricing';
import type { ProviderAccess, ProviderSettings } from './providerConfig';
import { defaultRetryPolicy, retryDelay, sleep, type RetryPolicy } from './retry';
import { guardedStream } from './streamGuard';
import type { TaskKind } from './taskFeatures';
import { tierTargets, type ModelTarget } from './tierModels';
import { countTokens } from './tokens';
import type { ChatRequest, FinishReason, ModelProvider } from './types';

export interface ModelServiceDeps {
  settings: ProviderSettings;
  providers: ProviderAccess[];
  ledger: Ledger;
  prices: PriceTable;
  budgets: Budgets;
  timeouts: { requestMs: number; idleMs: number };
  retry?: RetryPolicy;
  /** Builds an adapter for a provider (the real SDK adapters by default). */
  createProvider?: (access: ProviderAccess) => ModelProvider | Promise<ModelProvider>;
  /** Called after every ledger entry, e.g. to refresh the usage views. */
  onRecorded?: (entry: LedgerEntry) => void;
  now?: () => Date;
}

export interface ModelCall {
  task: TaskKind;
  tier: Tier;
  request: Omit<ChatRequest, 'model'>;
  signal: AbortSignal;
  generationId?: string;
  capsuleId?: string;
  /** Text as it streams; after `onAttempt` with a retry, earlier partial text is void. */
  onText?: (delta: string) => void;
  onAttempt?: (attempt: { provider: ProviderId; model: string; number: number; previousError?: string }) => void;
}

export interface Completion {
  text: string;
  toolCalls: Array<{ id?: string; name: string; arguments: string }>;
  finishReason: FinishReason;
  provider: ProviderId;
  model: string;
  tier: Tier;
  entry: LedgerEntry;
}

/** Every provider of the tier failed; `errors` holds each one's reason. */
export class ModelCallError extends Error {
  readonly exitCode = 3;
  constructor(
    message: string,
    readonly errors: ProviderError[],
  ) {
    super(message);
  }
}

/** The SDK adapters, loaded on first use: the SDKs are large and the server must start fast. */
export async function createProviderAdapter(access: ProviderAccess): Promise<ModelProvider> {
  if (access.id === 'anthropic') {
    const { createAnthropicProvider } = await import('./anthropicAdapter.js');
    return createAnthropicProvider({ apiKey: access.apiKey, baseUrl: access.baseUrl });
  }
  const { createOpenAiCompatibleProvider } = await import('./openaiAdapter.js');
  return createOpenAiCompatibleProvider({ id: access.id, apiKey: access.apiKey, baseUrl: access.baseUrl, apiVersion: access.apiVersion });
}

export class ModelService {
  private readonly adapters = new Map<ProviderId, Promise<ModelProvider>>();

  constructor(private readonly deps: ModelServiceDeps) {}

  async complete(call: ModelCall): Promise<Completion> {
    const targets = tierTargets(call.tier, this.deps.settings, this.deps.providers);
    if (!targets.length) {
      throw new ModelCallError(`No provider serves tier ${call.tier}; configure one with "QLP: Set API key" (or the provider's environment variable) or map qlp.tiers.${call.tier}.`, []);
    }
    const errors: ProviderError[] = [];
    let attemptNumber = 0;
    for (const target of targets) {
      for (let attempt = 1; ; attempt++) {
        if (call.signal.aborted) throw cancelledError(target.provider);
        attemptNumber++;
        call.onAttempt?.({ provider: target.provider, model: target.model, number: attemptNumber, ...(errors.length ? { previousError: errors.at(-1)!.message } : {}) });
        try {
          return await this.attempt(call, target);
        } catch (err) {
          if (!(err instanceof ProviderError)) throw err;
          if (err.kind === 'cancelled') throw err;
          errors.push(err);
          const delay = retryDelay(err, attempt, this.deps.retry ?? defaultRetryPolicy);
          if (delay === undefined) break; // next provider of the tier
          await sleep(delay, call.signal).catch(() => {
            throw cancelledError(target.provider);
          });
        }
      }
    }
    throw new ModelCallError(summarize(call.tier, errors), errors);
  }

  private adapter(provider: ProviderId): Promise<ModelProvider> {
    let adapter = this.adapters.get(provider);
    if (!adapter) {
      const access = this.deps.providers.find((p) => p.id === provider)!;
      adapter = Promise.resolve((this.deps.createProvider ?? createProviderAdapter)(access));
      this.adapters.set(provider, adapter);
    }
    return adapter;
  }

  private async attempt(call: ModelCall, target: ModelTarget): Promise<Completion> {
    const now = this.deps.now ?? (() => new Date());
    const request: ChatRequest = { ...call.request, model: target.model };
    const promptText = [request.system ?? '', ...request.messages.map((m) => m.content)].join('\n');
    // For the budget check a generous estimate is enough (and instant): one token per three
    // characters, where typical code and prose take about four.
    const worstCase = costOf(this.deps.prices, target.provider, target.model, Math.ceil(promptText.length / 3), request.maxTokens).costUsd;
    const started = now();
    const spentGeneration = call.generationId ? (await this.deps.ledger.spentFor({ generationId: call.generationId })).costUsd : 0;
    checkBudget(this.deps.budgets, { spentTodayUsd: await this.deps.ledger.spentOn(localDay(started)), spentGenerationUsd: spentGeneration, nextCallUsd: worstCase });

    let text = '';
    const toolCalls: Completion['toolCalls'] = [];
    let usage: { inputTokens: number; outputTokens: number } | undefined;
    let finishReason: FinishReason = 'other';
    const record = async (outcome: LedgerEntry['outcome'], error?: ProviderError): Promise<LedgerEntry> => {
      const estimated = !usage;
      const inputTokens = usage?.inputTokens ?? (outcome === 'ok' ? await countTokens(promptText) : 0);
      const outputTokens = usage?.outputTokens ?? (outcome === 'ok' ? await countTokens(text + toolCalls.map((t) => t.arguments).join('')) : 0);
      const cost = costOf(this.deps.prices, target.provider, target.model, inputTokens, outputTokens);
      const entry: LedgerEntry = {
        at: started.toISOString(),
        provider: target.provider,
        model: target.model,
        tier: call.tier,
        task: call.task,
        inputTokens,
        outputTokens,
        usageSource: estimated ? 'estimated' : 'provider',
        latencyMs: now().getTime() - started.getTime(),
        costUsd: cost.costUsd,
        outcome,
        ...(error ? { error: `${error.kind}: ${error.message}` } : {}),
        ...(call.generationId ? { generationId: call.generationId } : {}),
        ...(call.capsuleId ? { capsuleId: call.capsuleId } : {}),
      };
      await this.deps.ledger.append(entry);
      this.deps.onRecorded?.(entry);
      return entry;
    };

    try {
      const stream = guardedStream(await this.adapter(target.provider), request, { signal: call.signal, requestTimeoutMs: this.deps.timeouts.requestMs, idleTimeoutMs: this.deps.timeouts.idleMs });
      for await (const chunk of stream) {
        if (chunk.type === 'text') {
          text += chunk.text;
          call.onText?.(chunk.text);
        } else if (chunk.type === 'toolCall') {
          const slot = (toolCalls[chunk.index] ??= { name: '', arguments: '' });
          if (chunk.id) slot.id = chunk.id;
          if (chunk.name) slot.name = chunk.name;
          slot.arguments += chunk.argumentsDelta;
        } else if (chunk.type === 'usage') {
          usage = { inputTokens: chunk.inputTokens, outputTokens: chunk.outputTokens };
        } else {
          finishReason = chunk.reason;
        }
      }
    } catch (err) {
      const error = err instanceof ProviderError ? err : new ProviderError(target.provider, 'stream', `${providerName(target.provider)} failed: ${String(err)}`);
      await record(error.kind === 'cancelled' ? 'cancelled' : 'error', error);
      throw error;
    }
    const entry = await record('ok');
    return { text, toolCalls: toolCalls.filter(Boolean), finishReason, provider: target.provider, model: target.model, tier: call.tier, entry };
  }
}

function summarize(tier: Tier, errors: ProviderError[]): string {
  const last = new Map<ProviderId, ProviderError>();
  for (const e of errors) last.set(e.provider, e);
  const reasons = [...last.values()].map((e) => e.message.replace(/\.$/, ''));
  return `Every ${tier} provider failed: ${reasons.join('; ')}.`;
}
