// "Ask QLP to fix": one repair turn for a file a user is editing, hand-written or generated. The
// model gets the file and the findings and answers with the whole corrected file; the editor
// applies it as one undoable edit.
import type { Tier } from '../../../protocol/llm';
import { ModelOutputError } from './errors';
import { extractFile, fencedBlocks } from './fileOutput';
import type { PromptTurn } from './prompts';
import type { ModelTurns } from './turns';

export interface FixRequest {
  /** The file's path as the user sees it (relative to the workspace). */
  path: string;
  content: string;
  /** One line per finding: `line:column severity tool code: message`. */
  findings: string[];
}

export interface FixResult {
  content: string;
  tier: Tier;
  model: string;
  costUsd: number;
}

const maxFixFileBytes = 512 * 1024;

function fixPrompt(request: FixRequest): PromptTurn {
  return {
    system:
      'You are QLP, a careful senior engineer. You fix the reported problems in a file with the smallest correct change, keeping everything else (style, comments, names) as it is.',
    messages: [
      {
        role: 'user',
        content: [
          `Problems reported in ${request.path} by its validation tools:`,
          ...request.findings,
          '',
          `\`\`\`\`${request.path}`,
          request.content.endsWith('\n') ? request.content.slice(0, -1) : request.content,
          '````',
          '',
          `Answer with the complete corrected ${request.path} in one fenced block whose info string is the path, and nothing else.`,
        ].join('\n'),
      },
    ],
  };
}

export async function fixFindings(request: FixRequest, turns: ModelTurns, tier: Tier, signal: AbortSignal): Promise<FixResult> {
  if (Buffer.byteLength(request.content) > maxFixFileBytes)
    throw new ModelOutputError(`${request.path} is over ${maxFixFileBytes / 1024} KB; QLP fixes smaller files.`);
  if (!request.findings.length) throw new ModelOutputError('There is no finding to fix at this place.');
  const result = await turns.complete({
    key: `fix:${request.path}`,
    task: 'repair',
    tier,
    prompt: fixPrompt(request),
    maxTokens: 16_384,
    maxChars: maxFixFileBytes * 2,
    signal,
  });
  const file = extractFile(result.text, request.path);
  if (!file.complete || result.finishReason === 'length') throw new ModelOutputError(`The model's fix of ${request.path} was cut off; nothing was changed.`);
  if (!fencedBlocks(result.text).length && !file.content.trim())
    throw new ModelOutputError(`The model answered with no file for ${request.path}; nothing was changed.`);
  return { content: file.content, tier: result.tier, model: `${result.provider}:${result.model}`, costUsd: result.costUsd };
}
