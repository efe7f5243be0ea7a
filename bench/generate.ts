// `npm run bench:generate`: the generation pipeline's own cost with a zero-latency scripted model
// (a 15-file Node.js project: plan → files → validation → sandboxed tests → capsule), first token
// → first file text at the LSP client, and the whole run with a model that streams 50 tokens/s.
// Prints them and writes bench/results/generate.json.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenerationEvent } from '../protocol/generate';
import { clientNotifications, serverRequests } from '../protocol/lsp';
import { runGeneration } from '../language-server/src/generate/generationHost';
import { Ledger } from '../language-server/src/llm/ledger';
import { modelSettingsFromEnvironment } from '../language-server/src/llm/modelSettings';
import { setUpModels } from '../language-server/src/llm/modelSetup';
import { sandboxSettingsFromEnvironment } from '../language-server/src/sandbox/settings';
import { FakeModelServer, type Reply } from '../test/support/fakeModelServer';
import { initializeParams, spawnServer } from '../test/support/lspProcess';
import { repoRoot } from '../test/support/paths';
import { writeResults } from './results';
import { chunks, scriptedProject } from '../test/support/scriptedProject';

const modules = 6;
const files: Record<string, string> = {
  'package.json': '{\n  "name": "bench-tool",\n  "version": "1.0.0",\n  "type": "module",\n  "scripts": { "test": "node --test" }\n}\n',
  'bin/cli.js': "#!/usr/bin/env node\nimport { describe } from '../src/index.js';\n\nconsole.log(describe(process.argv.slice(2)));\n",
  'README.md': '# bench-tool\n\nA small tool with six modules.\n',
};
// Module 0 is src/index.js with test/index.test.js, which every node-cli project has.
const moduleName = (i: number) => (i === 0 ? 'index' : `mod${i}`);
for (let i = 0; i < modules; i++) {
  files[`src/${moduleName(i)}.js`] =
    `/** Scales a list by ${i + 1}. */\nexport function scale${i}(values) {\n  return values.map((v) => v * ${i + 1});\n}\n\nexport function describe(args) {\n  return \`\${args.length} arguments\`;\n}\n`;
  files[`test/${moduleName(i)}.test.js`] =
    `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { scale${i} } from '../src/${moduleName(i)}.js';\n\ntest('scale${i}', () => {\n  assert.deepEqual(scale${i}([1, 2]), [${i + 1}, ${2 * (i + 1)}]);\n});\n`;
}
const plan = {
  summary: 'A tool with six modules.',
  files: Object.keys(files).map((path) => ({
    path,
    purpose: path,
    kind: path.endsWith('.md') ? 'doc' : path.startsWith('test/') ? 'test' : path.endsWith('.json') ? 'config' : 'code',
  })),
  dependencies: { runtime: [], dev: [] },
  commands: { install: 'npm install', test: 'npm test', run: 'node bin/cli.js' },
};

/** The scripted project, streamed at `tokensPerSecond` (four characters a token), or at once. */
function model(tokensPerSecond?: number): (r: Parameters<ReturnType<typeof scriptedProject>>[0]) => Reply {
  const base = scriptedProject({ files, planOverride: plan, planAs: tokensPerSecond ? 'text' : 'tool' });
  return (request) => {
    const reply = base(request);
    if (!tokensPerSecond || !('text' in reply)) return reply;
    return { ...reply, text: chunks(reply.text.join(''), 4), delayMs: 1000 / tokensPerSecond };
  };
}

async function inProcess(server: FakeModelServer, tokensPerSecond?: number): Promise<Record<string, number>> {
  server.respondWith(model(tokensPerSecond));
  const dataDir = mkdtempSync(join(tmpdir(), 'qlp-bench-gen-'));
  const workspace = join(dataDir, 'ws');
  mkdirSync(workspace);
  const { settings, keyOf } = modelSettingsFromEnvironment({ QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'bench' });
  const ledger = new Ledger(join(dataDir, 'ledger.jsonl'));
  const models = await setUpModels(settings, keyOf, ledger);
  const marks: Record<string, number> = {};
  const started = performance.now();
  let sandboxMs = 0;
  const last: Record<string, string> = {};
  const result = await runGeneration(
    { requirements: 'A command-line tool with six modules that scale lists.', folder: join(workspace, 'tool'), stack: 'node-cli' },
    {
      models,
      ledger,
      dataDir,
      workspaceRoot: workspace,
      sandbox: sandboxSettingsFromEnvironment(process.env),
      env: process.env,
      budgetUsd: 0,
      validationWorkerFile: join(repoRoot, 'dist', 'validateWorker.js'),
    },
    new AbortController().signal,
    (e: GenerationEvent) => {
      const at = performance.now() - started;
      if (e.kind === 'plan') marks.plan ??= at;
      if (e.kind === 'phase' && e.phase === 'verify') marks.written ??= at;
      if (e.kind === 'validation') marks.checked ??= at;
      if (e.kind === 'tests') sandboxMs += e.durationMs;
      if (e.kind === 'mutation') Object.assign(marks, { mutationMs: e.mutation.durationMs, mutants: e.mutation.mutants, mutationScore: e.mutation.score });
      if (e.kind === 'validation' || e.kind === 'tests') last[e.kind] = JSON.stringify(e).slice(0, 1500);
      if (e.kind === 'phase' && e.phase === 'commit') marks.commit ??= at;
    },
  );
  if (result.status !== 'verified')
    throw new Error(`the bench project ended ${result.status}: ${result.reasons.join('; ')}\n${Object.values(last).join('\n')}`);
  const total = performance.now() - started;
  return { ...marks, total, sandboxMs, overhead: total - sandboxMs - (marks.mutationMs ?? 0), files: result.files.length };
}

/** First token of a file's answer written by the model server → its text at the LSP client. */
async function firstFileTextOverLsp(server: FakeModelServer): Promise<number> {
  server.respondWith(model());
  const dataDir = mkdtempSync(join(tmpdir(), 'qlp-bench-lsp-'));
  const workspace = join(dataDir, 'ws');
  mkdirSync(workspace);
  const lsp = spawnServer({ ...process.env, QLP_HOME: dataDir, QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'bench' });
  await lsp.connection.sendRequest('initialize', { ...initializeParams(), rootUri: `file://${workspace}` });
  lsp.connection.sendNotification('initialized', {});
  let gap = -1;
  lsp.connection.onNotification(clientNotifications.generateEvent.method, ({ event }: { event: GenerationEvent }) => {
    if (gap < 0 && event.kind === 'text' && event.path) gap = performance.now() - server.firstTextWrittenAt;
  });
  await lsp.connection.sendRequest(serverRequests.generateStart.method, {
    runId: 'bench',
    requirements: 'A tool with six modules.',
    folder: join(workspace, 'tool'),
    stack: 'node-cli',
    tests: false,
  });
  lsp.child.kill();
  return gap;
}

async function main(): Promise<void> {
  const server = await new FakeModelServer().start();
  try {
    const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const warm = await inProcess(server);
    const zero = await inProcess(server);
    console.log(`Generation of a ${zero.files}-file project with a zero-latency model (second run; first ${fmt(warm.total)}):`);
    console.log(
      `  plan ${fmt(zero.plan!)}, all files written ${fmt(zero.written!)}, checked (validation + sandboxed tests) ${fmt(zero.checked!)}, committed ${fmt(zero.commit!)}, done ${fmt(zero.total!)}`,
    );
    console.log(
      `  of which validation ${fmt(zero.checked! - zero.written! - zero.sandboxMs!)} and sandboxed tests ${fmt(zero.sandboxMs!)}; pipeline overhead without them and the mutation check ${fmt(zero.overhead!)} (target < 3 s)`,
    );
    const share = (zero.mutationMs! / zero.sandboxMs!) * 100;
    console.log(
      `  mutation check ${fmt(zero.mutationMs!)} for ${zero.mutants} mutants (score ${zero.mutationScore!.toFixed(2)}): ${share.toFixed(0)} % of the sandboxed test time (target ≤ 30 % or ≤ 5 s)`,
    );
    const gaps: number[] = [];
    for (let i = 0; i < 3; i++) gaps.push(await firstFileTextOverLsp(server));
    console.log(`  first token of a file → its text at the LSP client: ${gaps.map((g) => `${g.toFixed(1)} ms`).join(', ')} (target < 100 ms)`);
    const slow = await inProcess(server, 50);
    console.log(`With a model streaming 50 tokens/s (3 files at once): done in ${fmt(slow.total!)}, of which sandboxed tests ${fmt(slow.sandboxMs!)}`);
    console.log(
      `Written to ${writeResults('generate', { zeroLatency: zero, firstRun: warm, firstFileTextOverLspMs: gaps.map((g) => Math.round(g * 10) / 10), fiftyTokensPerSecond: slow })}`,
    );
  } finally {
    await server.close();
  }
}

void main();
