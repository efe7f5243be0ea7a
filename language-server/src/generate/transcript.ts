// Every model turn of a generation, as recorded: what was asked, what came back, by which model,
// at what cost and speed. Stored with the capsule; replay serves the answers back by key.
import type { Tier } from '../../../protocol/llm';
import type { ChatMessage } from '../llm/types';
import type { TaskKind } from '../llm/taskFeatures';
import { GenerationInputError } from './errors';

export interface TranscriptTurn {
  /** Names the turn's place in the run: `plan`, `file:<path>`, `file:<path>#2`, `repair:<round>:<n>`. */
  key: string;
  task: TaskKind;
  tier: Tier;
  provider: string;
  model: string;
  system: string;
  messages: ChatMessage[];
  tools: string[];
  text: string;
  toolCalls: Array<{ name: string; arguments: string }>;
  finishReason: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  startedAt: string;
}

export interface Transcript {
  transcriptVersion: 1;
  generationId: string;
  requirements: string;
  stack: string;
  turns: TranscriptTurn[];
}

export function serializeTranscript(transcript: Transcript): Uint8Array {
  return Buffer.from(`${JSON.stringify(transcript, null, 1)}\n`);
}

export function parseTranscript(data: Uint8Array | string): Transcript {
  let parsed: Partial<Transcript>;
  try {
    parsed = JSON.parse(typeof data === 'string' ? data : Buffer.from(data).toString('utf8')) as Partial<Transcript>;
  } catch {
    throw new GenerationInputError("The capsule's transcript is damaged (not JSON); it cannot be replayed.");
  }
  if (parsed.transcriptVersion !== 1 || !Array.isArray(parsed.turns) || typeof parsed.requirements !== 'string' || typeof parsed.stack !== 'string') {
    throw new GenerationInputError("The capsule's transcript is not one this version of QLP can replay.");
  }
  return parsed as Transcript;
}
