// What every step of one generation run shares: the model turns, the routing inputs, the limits,
// the files written so far, and where events go.
import type { GenerationEvent, ProjectPlan } from '../../../protocol/generate';
import type { Tier } from '../../../protocol/llm';
import { decideTier, escalate, type TierHistory } from '../llm/router';
import { extractFeatures, type TaskKind } from '../llm/taskFeatures';
import type { StackProfile } from './stacks';
import type { TestContract } from './testContract';
import type { ModelTurns } from './turns';

export interface GenerationLimits {
  maxFiles: number;
  /** Bytes of one generated file. */
  maxFileBytes: number;
  /** Output tokens asked for per turn. */
  maxTokensPerTurn: number;
  /** Continuations of an answer cut off by the length limit. */
  maxContinuations: number;
  /** Files written at once (independent files in parallel). */
  parallelFiles: number;
  /** Verify → repair rounds after the first verification. */
  maxRepairRounds: number;
  /** Share of mutants (0–1) the tests must kill for the run to be verified. */
  minMutationScore: number;
  /** Most mutants made of the code under test. */
  maxMutants: number;
}

export const defaultLimits: GenerationLimits = {
  maxFiles: 60,
  maxFileBytes: 256 * 1024,
  maxTokensPerTurn: 8192,
  maxContinuations: 2,
  parallelFiles: 3,
  maxRepairRounds: 3,
  minMutationScore: 0.6,
  maxMutants: 30,
};

export class RunContext {
  /** Current contents of the generated files, by path. */
  readonly files = new Map<string, string>();
  readonly tiersUsed = new Set<Tier>();
  plan: ProjectPlan | undefined;
  /** The frozen tests, once the first pass has written them. */
  contract: TestContract | undefined;

  constructor(
    readonly id: string,
    readonly requirements: string,
    readonly profile: StackProfile,
    /** Where files are written before they reach the target folder. */
    readonly staging: string,
    readonly turns: ModelTurns,
    readonly routing: { available: Tier[]; override?: Tier; history: TierHistory[] },
    readonly limits: GenerationLimits,
    readonly signal: AbortSignal,
    readonly emit: (event: GenerationEvent) => void,
  ) {}

  /** The tier for a task: the user's choice, else the router's decision from measured features. */
  tierFor(kind: TaskKind, escalations = 0): Tier {
    const features = extractFeatures(kind, this.requirements, this.plan ? { files: this.plan.files, stack: this.plan.stack } : undefined);
    let tier = decideTier({
      features,
      available: this.routing.available,
      history: this.routing.history,
      ...(this.routing.override ? { override: this.routing.override } : {}),
    }).tier;
    for (let i = 0; i < escalations; i++) tier = escalate(tier, this.routing.available) ?? tier;
    return tier;
  }

  /** Characters an answer may stream before it is stopped: the file cap plus room for prose. */
  get maxAnswerChars(): number {
    return this.limits.maxFileBytes * 2 + 16_384;
  }
}
