// `npm run bench:models`: the model layer's own cost — router decisions, streaming overhead of
// the adapter and the model service over the raw SDK loop, and first byte → first token.
// Prints them and writes bench/results/models.json.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { Ledger } from '../language-server/src/llm/ledger';
import { modelSettingsFromEnvironment } from '../language-server/src/llm/modelSettings';
import { setUpModels } from '../language-server/src/llm/modelSetup';
import { createOpenAiCompatibleProvider } from '../language-server/src/llm/openaiAdapter';
import { decideTier } from '../language-server/src/llm/router';
import { guardedStream } from '../language-server/src/llm/streamGuard';
import { extractFeatures } from '../language-server/src/llm/taskFeatures';
import { tiers } from '../protocol/llm';
import { FakeModelServer } from '../test/support/fakeModelServer';
import { spread, writeResults } from './results';

const tokens = 10_000;
const runs = Number(process.env.QLP_BENCH_RUNS) || 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function routerDecisions(): number {
  const requirements = 'A REST API for a bookshop with JWT login, Stripe payments, an admin dashboard and database migrations. '.repeat(3);
  const plan = { files: Array.from({ length: 18 }, (_, i) => ({ path: `src/module${i % 5}/file${i}.ts` })) };
  const n = 20_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) decideTier({ features: extractFeatures('file', requirements, plan), available: tiers });
  const perDecision = ((performance.now() - started) / n) * 1000;
  console.log(`Router: features + decision ${perDecision.toFixed(1)} µs each (n=${n})`);
  return Math.round(perDecision * 10) / 10;
}

async function streaming(server: FakeModelServer) {
  server.respondWith(() => ({ text: Array.from({ length: tokens }, (_, i) => `t${i % 10} `), usage: { input: 10, output: tokens } }));
  const request = { model: 'bench', messages: [{ role: 'user' as const, content: 'stream' }], maxTokens: tokens };
  const raw: number[] = [];
  const adapter: number[] = [];
  const service: number[] = [];
  const client = new OpenAI({ apiKey: 'x', baseURL: server.openaiBaseUrl, maxRetries: 0 });
  const provider = createOpenAiCompatibleProvider({ id: 'local', baseUrl: server.openaiBaseUrl });
  const { settings, keyOf } = modelSettingsFromEnvironment({ QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'bench' });
  const { service: models } = await setUpModels(settings, keyOf, new Ledger(join(mkdtempSync(join(tmpdir(), 'qlp-bench-')), 'ledger.jsonl')));
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    let n = 0;
    const stream = await client.chat.completions.create({ model: 'bench', messages: request.messages, stream: true, stream_options: { include_usage: true } });
    for await (const event of stream) if (event.choices[0]?.delta?.content) n++;
    raw.push(performance.now() - t);
    if (n !== tokens) throw new Error(`raw loop saw ${n} tokens`);

    t = performance.now();
    n = 0;
    for await (const chunk of guardedStream(provider, request, { signal: new AbortController().signal, requestTimeoutMs: 10_000, idleTimeoutMs: 10_000 }))
      if (chunk.type === 'text') n++;
    adapter.push(performance.now() - t);

    t = performance.now();
    await models.complete({ task: 'probe', tier: 'T0', request, signal: new AbortController().signal });
    service.push(performance.now() - t);
  }
  const base = median(raw);
  const perToken = (ms: number) => {
    const us = ((ms - base) / tokens) * 1000;
    return `${us >= 0 ? '+' : '−'}${Math.abs(us).toFixed(1)} µs a token vs raw`;
  };
  console.log(`Streaming ${tokens} tokens from the loopback server (median of ${runs}):`);
  console.log(`  raw SDK loop           ${base.toFixed(0)} ms`);
  console.log(`  guarded adapter stream ${median(adapter).toFixed(0)} ms (${perToken(median(adapter))})`);
  console.log(`  model service + ledger ${median(service).toFixed(0)} ms (${perToken(median(service))})`);
  return { tokens, rawMs: spread(raw), adapterMs: spread(adapter), serviceMs: spread(service) };
}

async function firstToken(server: FakeModelServer) {
  server.respondWith(() => ({ text: ['first', ' second'], delayMs: 20 }));
  const { settings, keyOf } = modelSettingsFromEnvironment({ QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'bench' });
  const { service } = await setUpModels(settings, keyOf, new Ledger(join(mkdtempSync(join(tmpdir(), 'qlp-bench-')), 'ledger.jsonl')));
  const gaps: number[] = [];
  for (let i = 0; i < runs * 4; i++) {
    let seen = 0;
    await service.complete({
      task: 'probe',
      tier: 'T0',
      signal: new AbortController().signal,
      request: { messages: [{ role: 'user', content: 'hi' }], maxTokens: 10 },
      onText: () => {
        if (!seen) seen = performance.now();
      },
    });
    gaps.push(seen - server.firstTextWrittenAt);
  }
  console.log(
    `First token: provider writes it → the model service hands it on: median ${median(gaps).toFixed(2)} ms, max ${Math.max(...gaps).toFixed(2)} ms (n=${gaps.length})`,
  );
  return spread(gaps);
}

async function main(): Promise<void> {
  console.log('QLP model layer benchmarks\n');
  const routerMicroseconds = routerDecisions();
  const server = await new FakeModelServer().start();
  try {
    const stream = await streaming(server);
    const firstTokenMs = await firstToken(server);
    console.log(`\nWritten to ${writeResults('models', { routerMicroseconds, streaming: stream, firstTokenMs })}`);
  } finally {
    await server.close();
  }
}

main().catch((err: Error) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
