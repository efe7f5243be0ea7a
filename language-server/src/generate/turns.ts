// Model turns as generation makes them: live through the model service (routing, retries,
// budgets, the ledger), or replayed from a transcript without calling any model. Both record
// the turns they serve, so a replay's transcript equals the original; what a run spent is the
// ledger's figure for a live run (failed and cancelled calls included) and nothing for a replay.
import type { GenerationUsage } from '../../../protocol/generate';
import type { Tier } from '../../../protocol/llm';
import { throwIfAborted } from '../common/cancellation';
import type { ModelService } from '../llm/modelService';
import type { TaskKind } from '../llm/taskFeatures';
import type { FinishReason } from '../llm/types';
import { generationCancelled, GenerationInputError, ModelOutputError } from './errors';
import type { PromptTurn } from './prompts';
import type { Transcript, TranscriptTurn } from './transcript';

export interface TurnRequest {
  key: string;
  task: TaskKind;
  tier: Tier;
  prompt: PromptTurn;
  maxTokens: number;
  /** Answers longer than this many characters are cut off (an endless stream). */
  maxChars: number;
  signal: AbortSignal;
  onText?(delta: string): void;
}

export interface TurnResult {
  text: string;
  toolCalls: Array<{ name: string; arguments: string }>;
  finishReason: FinishReason;
  tier: Tier;
  provider: string;
  model: string;
  costUsd: number;
}

/** What a run's model calls cost; for a replay, also what the recorded run cost. */
export type RunSpend = Omit<GenerationUsage, 'budgetUsd'>;

export interface ModelTurns {
  complete(request: TurnRequest): Promise<TurnResult>;
  readonly turns: TranscriptTurn[];
  /** What the run spent so far; without it, the sum of the turns served. */
  spent?(): RunSpend;
}

export class LiveTurns implements ModelTurns {
  readonly turns: TranscriptTurn[] = [];

  constructor(
    private readonly service: ModelService,
    private readonly generationId: string,
  ) {}

  /** The ledger's figures for this generation: every billable call, cancelled and failed ones too. */
  spent(): RunSpend {
    const { calls, inputTokens, outputTokens, costUsd } = this.service.spentBy(this.generationId);
    return { calls, inputTokens, outputTokens, costUsd };
  }

  async complete(request: TurnRequest): Promise<TurnResult> {
    const startedAt = new Date().toISOString();
    // An answer past its size cap is stopped: the stream is aborted and the turn fails clearly.
    const limit = new AbortController();
    const onAbort = () => limit.abort();
    request.signal.addEventListener('abort', onAbort, { once: true });
    let seen = 0;
    try {
      const completion = await this.service.complete({
        task: request.task,
        tier: request.tier,
        generationId: this.generationId,
        signal: limit.signal,
        request: {
          system: request.prompt.system,
          messages: request.prompt.messages,
          maxTokens: request.maxTokens,
          ...(request.prompt.tools ? { tools: request.prompt.tools } : {}),
        },
        onAttempt: () => (seen = 0),
        onText: (delta) => {
          seen += delta.length;
          if (seen > request.maxChars) limit.abort();
          else request.onText?.(delta);
        },
      });
      const toolCalls = completion.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args }));
      const { entry } = completion;
      this.turns.push({
        key: request.key,
        task: request.task,
        tier: completion.tier,
        provider: completion.provider,
        model: completion.model,
        system: request.prompt.system,
        messages: request.prompt.messages,
        tools: request.prompt.tools?.map((t) => t.name) ?? [],
        text: completion.text,
        toolCalls,
        finishReason: completion.finishReason,
        inputTokens: entry.inputTokens,
        outputTokens: entry.outputTokens,
        costUsd: entry.costUsd,
        latencyMs: entry.latencyMs,
        startedAt,
      });
      return {
        text: completion.text,
        toolCalls,
        finishReason: completion.finishReason,
        tier: completion.tier,
        provider: completion.provider,
        model: completion.model,
        costUsd: entry.costUsd,
      };
    } catch (err) {
      if (seen > request.maxChars && !request.signal.aborted) {
        throw new ModelOutputError(`The model's answer for ${request.key} ran past ${request.maxChars} characters and was stopped.`);
      }
      throw err;
    } finally {
      request.signal.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Serves a transcript's answers by key, at no cost; a turn the transcript lacks is an error,
 * never a model call.
 */
export class ReplayTurns implements ModelTurns {
  readonly turns: TranscriptTurn[] = [];
  private readonly byKey = new Map<string, TranscriptTurn>();

  constructor(transcript: Transcript) {
    for (const turn of transcript.turns) this.byKey.set(turn.key, turn);
  }

  /** Nothing was called or spent; the recorded cost of the turns served is told apart. */
  spent(): RunSpend {
    return { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, recordedCostUsd: this.turns.reduce((sum, t) => sum + t.costUsd, 0) };
  }

  async complete(request: TurnRequest): Promise<TurnResult> {
    const turn = this.byKey.get(request.key);
    if (!turn)
      throw new GenerationInputError(
        `The recorded run has no model turn '${request.key}'; this run went differently (validation or tests now give other results).`,
      );
    throwIfAborted(request.signal, generationCancelled);
    if (turn.text) request.onText?.(turn.text);
    this.turns.push(turn);
    return {
      text: turn.text,
      toolCalls: turn.toolCalls,
      finishReason: turn.finishReason as FinishReason,
      tier: turn.tier,
      provider: turn.provider,
      model: turn.model,
      costUsd: 0,
    };
  }
}
