// `qlp index <dir>` and `qlp search "<query>" --dir <dir>`: the workspace index from a terminal.
import { counted } from '../../../protocol/validate';
import { statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EmbedderError } from '../index/embedders/embedder';
import { defaultIndexDir } from '../index/location';
import type { IndexService } from '../index/service';
import type { CliCommand, CliIo } from './command';
import { EnvironmentError, InterruptedError, interruptSignal, UsageError } from './errors';
import type { EnvironmentVariable } from './environment';
import { parseCommandArgs } from './parse';

function folder(dir: string, what: string): string {
  const path = resolve(dir);
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info?.isDirectory()) throw new UsageError(`'${dir}' is not a folder; give the folder ${what}.`);
  return path;
}

async function openService(dir: string, values: Record<string, unknown>, io: CliIo, signal: AbortSignal): Promise<IndexService> {
  const root = await realpath(dir);
  const indexDir = typeof values['index-dir'] === 'string' ? resolve(values['index-dir']) : await defaultIndexDir(root, io.env);
  try {
    // Loaded on use: LanceDB's native library is not opened by commands that do not search.
    const { IndexService } = require('../index/service') as typeof import('../index/service');
    const service = await IndexService.open({ root, indexDir, embedder: (values.embedder as string | undefined) ?? io.env.QLP_EMBEDDER, env: io.env }, signal);
    if (service.notice) io.err(`qlp: ${service.notice}`);
    return service;
  } catch (err) {
    if (err instanceof EmbedderError) throw new EnvironmentError(err.message);
    throw err;
  }
}

async function update(service: IndexService, io: CliIo, signal: AbortSignal) {
  let last = 0;
  const onProgress = process.stderr.isTTY
    ? (p: { message: string }) => {
        if (Date.now() - last > 500) io.err(`qlp: ${p.message}…`);
        last = Date.now();
      }
    : undefined;
  try {
    return await service.update({ signal, onProgress });
  } catch (err) {
    if (signal.aborted) throw new InterruptedError('indexing was cancelled; the next run picks up where it stopped.');
    if (err instanceof EmbedderError) throw new EnvironmentError(err.message);
    throw err;
  }
}

const embedderFlag = [
  '--embedder <id>',
  'learned or hash (offline), openai[:model], azure:<deployment> or ollama[:model] (default: QLP_EMBEDDER, else learned).',
] as const;
const indexDirFlag = ['--index-dir <dir>', "Keep the index here (default: QLP's data folder, never inside <dir>)."] as const;
const indexEnvironment: EnvironmentVariable[] = [
  'QLP_EMBEDDER',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'AZURE_OPENAI_API_KEY',
  'AZURE_OPENAI_ENDPOINT',
  'OLLAMA_HOST',
  'QLP_HOME',
];

const common = { json: { type: 'boolean' }, embedder: { type: 'string' }, 'index-dir': { type: 'string' } } as const;

export const indexCommand: CliCommand = {
  summary: 'Index a folder for semantic search (incremental: unchanged files are skipped).',
  usage: 'qlp index <dir> [--embedder learned|hash|openai[:model]|azure:<deployment>|ollama[:model]] [--index-dir <dir>] [--json]',
  help: {
    flags: [embedderFlag, indexDirFlag, ['--json', 'Print one JSON document: files, chunks, what changed, the embedder, the time.']],
    examples: ['qlp index . --embedder hash'],
    env: indexEnvironment,
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('index', args, common);
    if (positionals.length !== 1) throw new UsageError(`index takes one folder, got ${positionals.length}; usage: ${this.usage}`);
    const root = folder(positionals[0], 'to index');
    const signal = interruptSignal();
    const service = await openService(root, values, io, signal);
    try {
      const result = await update(service, io, signal);
      const status = service.status();
      const summary = {
        files: status.files,
        chunks: status.chunks,
        indexedFiles: result.indexedFiles,
        removedFiles: result.removedFiles,
        newChunks: result.newChunks,
        embedder: status.embedder,
        durationMs: Math.round(result.durationMs),
      };
      io.out(
        values.json
          ? JSON.stringify(summary)
          : `Indexed ${counted(summary.files, 'file')} (${counted(summary.chunks, 'chunk')}; ${summary.newChunks} new) in ${summary.durationMs} ms.`,
      );
      return 0;
    } finally {
      await service.close();
    }
  },
};

export const searchCommand: CliCommand = {
  summary: 'Search an indexed folder by meaning; exit 1 when nothing matches.',
  usage: 'qlp search "<query>" --dir <dir> [--limit <n>] [--embedder <id>] [--index-dir <dir>] [--json]',
  help: {
    flags: [
      ['--dir <dir>', 'The folder to search (default: the working directory); indexed first, incrementally.'],
      ['--limit <n>', 'At most this many results, 1 to 1000 (default 10).'],
      embedderFlag,
      indexDirFlag,
      ['--json', 'Print one JSON document: the results, best first.'],
    ],
    examples: ['qlp search "where are requests retried" --dir . --limit 5'],
    env: indexEnvironment,
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('search', args, { ...common, dir: { type: 'string' }, limit: { type: 'string' } });
    if (positionals.length !== 1 || !positionals[0].trim()) throw new UsageError(`search takes one query in quotes; usage: ${this.usage}`);
    const limit = values.limit === undefined ? 10 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit must be a whole number from 1 to 1000, got '${values.limit}'.`);
    const root = folder((values.dir as string | undefined) ?? '.', 'to search');
    const signal = interruptSignal();
    const service = await openService(root, values, io, signal);
    try {
      await update(service, io, signal);
      const results = await service.search(positionals[0], limit, signal);
      if (values.json) {
        io.out(
          JSON.stringify({
            results: results.map(({ path, startLine, endLine, score, snippet, symbol }) => ({ path, startLine, endLine, score, snippet, symbol })),
          }),
        );
      } else if (results.length === 0) {
        io.out('No results.');
      } else {
        for (const r of results)
          io.out(`${r.path}:${r.startLine}-${r.endLine}  ${r.score.toFixed(3)}  ${r.symbol}\n    ${r.snippet.split('\n').slice(0, 2).join('\n    ').trim()}`);
      }
      return results.length === 0 ? 1 : 0;
    } finally {
      await service.close();
    }
  },
};
