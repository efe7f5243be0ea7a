// Writes every planned file: build/config and code first (in parallel, as many at once as the
// limits allow), then tests with the code's interfaces, then docs with everything. Each answer
// streams to the listener; an answer cut off by the length limit is continued.
import type { PlannedFile } from '../../../protocol/generate';
import { throwIfAborted } from '../common/cancellation';
import type { ContextChunk } from '../index/retrieve';
import { writeConfined } from './confinedWrite';
import { generationCancelled, ModelOutputError } from './errors';
import { extractFile, fencedBlocks, joinContinuation } from './fileOutput';
import { outlineOf } from './outline';
import { continuePrompt, filePrompt, type PromptTurn } from './prompts';
import type { RunContext } from './runContext';
import type { TurnResult } from './turns';

const waves: Array<PlannedFile['kind'][]> = [['config', 'code'], ['test'], ['doc']];

/** Runs `work` over `items`, at most `limit` at once; the first failure stops new work. */
export async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const item = items[next++]!;
      await work(item).catch((err) => (failed ??= err));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== undefined) throw failed;
}

/** Asks for one file and returns its content, continuing an answer the length limit cut off. */
async function answerFile(
  ctx: RunContext,
  key: string,
  path: string,
  prompt: PromptTurn,
  tier: TurnResult['tier'],
): Promise<{ content: string; result: TurnResult }> {
  const ask = (k: string, p: PromptTurn) =>
    ctx.turns.complete({
      key: k,
      task: 'file',
      tier,
      prompt: p,
      maxTokens: ctx.limits.maxTokensPerTurn,
      maxChars: ctx.maxAnswerChars,
      signal: ctx.signal,
      onText: (delta) => ctx.emit({ kind: 'text', path, delta }),
    });
  let result = await ask(key, prompt);
  let text = result.text;
  let file = extractFile(text, path);
  for (let n = 2; (!file.complete || result.finishReason === 'length') && n <= ctx.limits.maxContinuations + 1; n++) {
    result = await ask(`${key}#${n}`, continuePrompt(prompt, text));
    text = joinContinuation(text, result.text);
    file = extractFile(text, path);
  }
  if (!file.complete || result.finishReason === 'length')
    throw new ModelOutputError(`The model's answer for ${path} stayed cut off after ${ctx.limits.maxContinuations} continuations.`);
  // An empty fenced block is a deliberately empty file (a package's __init__.py); no text at all is not.
  if (!file.content.trim() && !fencedBlocks(text).length) throw new ModelOutputError(`The model's answer for ${path} was empty.`);
  const bytes = Buffer.byteLength(file.content);
  if (bytes > ctx.limits.maxFileBytes)
    throw new ModelOutputError(`The model's ${path} is ${bytes} bytes, over the ${ctx.limits.maxFileBytes}-byte limit (qlp.generate.maxFileBytes).`);
  return { content: file.content, result };
}

/** Stores a file's content in the staging folder and the run's view of the project. */
export async function stageFile(ctx: RunContext, path: string, content: string): Promise<void> {
  await writeConfined(ctx.staging, path, content, path.startsWith('bin/') ? 0o755 : 0o644);
  ctx.files.set(path, content);
}

async function writeOne(ctx: RunContext, file: PlannedFile, context: ContextChunk[], failures: string[]): Promise<void> {
  throwIfAborted(ctx.signal, generationCancelled);
  const tier = ctx.tierFor('file');
  ctx.emit({ kind: 'file', path: file.path, state: 'writing', tier });
  const written = [...ctx.files].filter(([p]) => p !== file.path).map(([p, content]) => ({ path: p, outline: outlineOf(p, content) }));
  const prompt = filePrompt(ctx.requirements, ctx.profile, ctx.plan!, file, written, context);
  try {
    const { content, result } = await answerFile(ctx, `file:${file.path}`, file.path, prompt, tier);
    await stageFile(ctx, file.path, content);
    ctx.tiersUsed.add(result.tier);
    ctx.emit({
      kind: 'file',
      path: file.path,
      state: 'written',
      tier: result.tier,
      model: `${result.provider}:${result.model}`,
      bytes: Buffer.byteLength(content),
    });
  } catch (err) {
    if (!(err instanceof ModelOutputError)) throw err;
    failures.push(err.message);
    ctx.emit({ kind: 'file', path: file.path, state: 'failed', message: err.message });
  }
}

/** Writes the plan's files; returns why files could not be written (the run goes on without them). */
export async function writeAllFiles(ctx: RunContext, context: ContextChunk[]): Promise<string[]> {
  const failures: string[] = [];
  for (const kinds of waves) {
    const files = ctx.plan!.files.filter((f) => kinds.includes(f.kind));
    await inParallel(files, ctx.limits.parallelFiles, (file) => writeOne(ctx, file, context, failures));
  }
  return failures;
}
