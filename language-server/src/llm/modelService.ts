// The one entry point generation uses to call a model: the tier's providers in order (fallback),
// retries with backoff, each attempt's worst case held against the budgets before it starts and
// settled at its real cost after, every attempt recorded in the ledger (cancelled and failed too).
import type { LedgerEntry, SpendTotals, Tier } from '../../../protocol/llm';
import type { ProviderId } from '../../../protocol/machine';
import { checkBudget, type Budgets } from './budget';
import { mayHaveBilled, settledUsage, worstCaseCost } from './callCost';
import { cancelledError, ProviderError, providerName } from './errors';
import { localDay, type Ledger } from './ledger';
import { costOf, type PriceTable } from './pricing';
import type { ProviderAccess, ProviderSettings } from './providerConfig';
import { defaultRetryPolicy, retryDelay, sleep, type RetryPolicy } from './retry';
import { guardedStream } from './streamGuard';
import type { TaskKind } from './taskFeatures';
import type { SpendHold } from './spendHolds';
import { tierTargets, type ModelTarget } from './tierModels';
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
      throw new ModelCallError(
        `No provider serves tier ${call.tier}; configure one with "QLP: Set API key" (or the provider's environment variable) or map qlp.tiers.${call.tier}.`,
        [],
      );
    }
    const errors: ProviderError[] = [];
    let attemptNumber = 0;
    for (const target of targets) {
      for (let attempt = 1; ; attempt++) {
        if (call.signal.aborted) throw cancelledError(target.provider);
        attemptNumber++;
        call.onAttempt?.({
          provider: target.provider,
          model: target.model,
          number: attemptNumber,
          ...(errors.length ? { previousError: errors.at(-1)!.message } : {}),
        });
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

  /** A generation's spend so far: its calls, cancelled and failed ones included. */
  spentBy(generationId: string): SpendTotals {
    return this.deps.ledger.generationTotals(generationId);
  }

  private async attempt(call: ModelCall, target: ModelTarget): Promise<Completion> {
    const now = this.deps.now ?? (() => new Date());
    const request: ChatRequest = { ...call.request, model: target.model };
    const adapter = await this.adapter(target.provider);
    const started = now();
    const hold = await this.reserve(call, target.provider, await worstCaseCost(this.deps.prices, target.provider, request), localDay(started));
    let text = '';
    const toolCalls: Completion['toolCalls'] = [];
    let usage: { inputTokens: number; outputTokens: number } | undefined;
    let finishReason: FinishReason = 'other';
    let answerStarted = false;
    const record = async (outcome: LedgerEntry['outcome'], error?: ProviderError): Promise<LedgerEntry> => {
      const billable = !error || mayHaveBilled(error, answerStarted);
      const tokens = await settledUsage(request, text + toolCalls.map((t) => t.name + t.arguments).join(''), usage, billable);
      const entry: LedgerEntry = {
        at: started.toISOString(),
        provider: target.provider,
        model: target.model,
        tier: call.tier,
        task: call.task,
        ...tokens,
        latencyMs: now().getTime() - started.getTime(),
        costUsd: costOf(this.deps.prices, target.provider, target.model, tokens.inputTokens, tokens.outputTokens).costUsd,
        outcome,
        billable,
        ...(error ? { error: `${error.kind}: ${error.message}` } : {}),
        ...(call.generationId ? { generationId: call.generationId } : {}),
        ...(call.capsuleId ? { capsuleId: call.capsuleId } : {}),
      };
      // The hold is released only once the entry is read back: the spend is counted at every moment.
      await this.deps.ledger.append(entry);
      this.deps.onRecorded?.(entry);
      return entry;
    };

    try {
      // A cancel that came while waiting for room sends nothing.
      if (call.signal.aborted) throw cancelledError(target.provider);
      try {
        const stream = guardedStream(adapter, request, {
          signal: call.signal,
          requestTimeoutMs: this.deps.timeouts.requestMs,
          idleTimeoutMs: this.deps.timeouts.idleMs,
        });
        for await (const chunk of stream) {
          answerStarted = true;
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
        const error =
          err instanceof ProviderError ? err : new ProviderError(target.provider, 'stream', `${providerName(target.provider)} failed: ${String(err)}`);
        await record(error.kind === 'cancelled' ? 'cancelled' : 'failed', error);
        throw error;
      }
      const entry = await record('ok');
      return { text, toolCalls: toolCalls.filter(Boolean), finishReason, provider: target.provider, model: target.model, tier: call.tier, entry };
    } finally {
      this.deps.ledger.holds.release(hold);
    }
  }

  /**
   * Holds the call's worst case against the budgets, after reading what every process recorded.
   * When only calls in flight stand in the way, waits for them to settle and checks again; when
   * the spend alone leaves no room, throws BudgetExceededError.
   */
  private async reserve(call: ModelCall, provider: ProviderId, worstCaseUsd: number, day: string): Promise<SpendHold> {
    const { ledger, budgets } = this.deps;
    for (;;) {
      await ledger.refresh();
      const verdict = checkBudget(budgets, {
        spentTodayUsd: ledger.spentOnNow(day),
        spentGenerationUsd: call.generationId ? ledger.generationTotals(call.generationId).costUsd : 0,
        heldTodayUsd: ledger.holds.heldOn(day),
        heldGenerationUsd: call.generationId ? ledger.holds.heldFor(call.generationId) : 0,
        nextCallUsd: worstCaseUsd,
      });
      if (verdict === 'fits') return ledger.holds.hold({ day, costUsd: worstCaseUsd, ...(call.generationId ? { generationId: call.generationId } : {}) });
      await ledger.holds.nextRelease(call.signal).catch(() => {
        throw cancelledError(provider);
      });
    }
  }
}

function summarize(tier: Tier, errors: ProviderError[]): string {
  const last = new Map<ProviderId, ProviderError>();
  for (const e of errors) last.set(e.provider, e);
  const reasons = [...last.values()].map((e) => e.message.replace(/\.$/, ''));
  return `Every ${tier} provider failed: ${reasons.join('; ')}.`;
}
