// Every provider through its real SDK against the loopback model server: streaming, usage,
// tool calls, the wire shapes, faults and cancellation.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createAnthropicProvider } from '../../../language-server/src/llm/anthropicAdapter';
import { ProviderError } from '../../../language-server/src/llm/errors';
import { createOpenAiCompatibleProvider } from '../../../language-server/src/llm/openaiAdapter';
import { guardedStream } from '../../../language-server/src/llm/streamGuard';
import type { Chunk, ModelProvider } from '../../../language-server/src/llm/types';
import { FakeModelServer } from '../../support/fakeModelServer';

const server = new FakeModelServer();

const providers: Record<string, () => ModelProvider> = {
  openai: () => createOpenAiCompatibleProvider({ id: 'openai', apiKey: 'sk-test-openai', baseUrl: server.openaiBaseUrl }),
  azure: () => createOpenAiCompatibleProvider({ id: 'azure', apiKey: 'az-test-key', baseUrl: server.origin, apiVersion: '2024-10-21' }),
  groq: () => createOpenAiCompatibleProvider({ id: 'groq', apiKey: 'gsk-test', baseUrl: server.openaiBaseUrl }),
  local: () => createOpenAiCompatibleProvider({ id: 'local', baseUrl: server.openaiBaseUrl }),
  anthropic: () => createAnthropicProvider({ apiKey: 'sk-ant-test', baseUrl: server.origin }),
};

const request = { model: 'test-model', system: 'Be brief.', messages: [{ role: 'user' as const, content: 'Say hello.' }], maxTokens: 100 };

async function collect(provider: ModelProvider, options: { signal?: AbortSignal; idleTimeoutMs?: number; tools?: boolean } = {}): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  const req = options.tools
    ? { ...request, tools: [{ name: 'write_file', description: 'Write a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }] }
    : request;
  for await (const chunk of guardedStream(provider, req, {
    signal: options.signal ?? new AbortController().signal,
    requestTimeoutMs: 5000,
    idleTimeoutMs: options.idleTimeoutMs ?? 5000,
  })) {
    chunks.push(chunk);
  }
  return chunks;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the stream to fail');
}

const text = (chunks: Chunk[]) => chunks.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');

/** A loopback port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  await new Promise((resolve) => listener.close(resolve));
  return port;
}

before(() => server.start());
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

for (const [id, make] of Object.entries(providers)) {
  describe(`${id} provider`, () => {
    it('streams text deltas in order, then usage and the finish reason', async () => {
      server.script({ text: ['Hel', 'lo', ', world'], usage: { input: 12, output: 3 } });
      const chunks = await collect(make());
      assert.equal(text(chunks), 'Hello, world');
      assert.deepEqual(
        chunks.filter((c) => c.type === 'usage'),
        [{ type: 'usage', inputTokens: 12, outputTokens: 3 }],
      );
      assert.deepEqual(
        chunks.filter((c) => c.type === 'finish'),
        [{ type: 'finish', reason: 'stop' }],
      );
    });

    it('streams tool-call deltas', async () => {
      server.script({ text: [], toolCalls: [{ name: 'write_file', args: ['{"path":', '"a.ts"}'] }] });
      const chunks = await collect(make(), { tools: true });
      const calls = chunks.filter((c): c is Extract<Chunk, { type: 'toolCall' }> => c.type === 'toolCall');
      assert.equal(calls.find((c) => c.name)?.name, 'write_file');
      assert.equal(calls.map((c) => c.argumentsDelta).join(''), '{"path":"a.ts"}');
      assert.deepEqual(chunks.at(-1)?.type === 'finish' || chunks.some((c) => c.type === 'finish' && c.reason === 'tool_calls'), true);
    });

    it('tells a bad key apart (401 → auth, with how to fix it)', async () => {
      server.script({ status: 401, message: 'invalid api key' });
      const err = await failure(collect(make()));
      assert.equal(err.kind, 'auth');
      assert.equal(err.transient, false);
      assert.match(err.message, /Set API key/);
    });

    it('reads 429 with Retry-After as a rate limit', async () => {
      server.script({ status: 429, headers: { 'retry-after': '7' } });
      const err = await failure(collect(make()));
      assert.equal(err.kind, 'rateLimit');
      assert.equal(err.retryAfterMs, 7000);
      assert.equal(err.transient, true);
    });

    it('reads 500 as a server failure', async () => {
      server.script({ status: 500, message: 'upstream exploded' });
      const err = await failure(collect(make()));
      assert.equal(err.kind, 'server');
      assert.match(err.message, /500/);
    });

    it('reads 404 as an unknown model, not worth retrying', async () => {
      server.script({ status: 404, message: 'model not found' });
      const err = await failure(collect(make()));
      assert.equal(err.kind, 'badRequest');
      assert.equal(err.transient, false);
    });

    it('fails a stream cut in the middle instead of truncating silently', async () => {
      server.script({ text: ['one ', 'two ', 'three'], fault: { after: 1, kind: 'cut' } });
      const err = await failure(collect(make()));
      assert.equal(err.kind, 'stream');
    });

    it('fails a malformed event', async () => {
      server.script({ text: ['one ', 'two'], fault: { after: 1, kind: 'malformed' } });
      const err = await failure(collect(make()));
      assert.equal(err.kind, 'stream');
    });

    it('times out a stream that stalls', async () => {
      server.script({ text: ['one ', 'two'], fault: { after: 1, kind: 'stall' } });
      const started = Date.now();
      const err = await failure(collect(make(), { idleTimeoutMs: 300 }));
      assert.equal(err.kind, 'timeout');
      assert.ok(Date.now() - started < 3000);
    });

    it('aborts promptly on cancel', async () => {
      server.script({ text: ['a', 'b', 'c', 'd', 'e', 'f'], delayMs: 1000 });
      const controller = new AbortController();
      const pending = failure(collect(make(), { signal: controller.signal }));
      await new Promise((r) => setTimeout(r, 1200));
      const cancelledAt = Date.now();
      controller.abort();
      const err = await pending;
      assert.equal(err.kind, 'cancelled');
      assert.ok(Date.now() - cancelledAt < 200, `cancel took ${Date.now() - cancelledAt} ms`);
    });
  });
}

describe('wire shapes', () => {
  it('OpenAI: bearer key, /v1/chat/completions, usage requested, max_completion_tokens', async () => {
    server.script({ text: ['ok'] });
    await collect(providers.openai());
    const [req] = server.requests;
    assert.equal(req.path, '/v1/chat/completions');
    assert.equal(req.headers.authorization, 'Bearer sk-test-openai');
    assert.equal(req.body.stream, true);
    assert.deepEqual(req.body.stream_options, { include_usage: true });
    assert.equal(req.body.max_completion_tokens, 100);
    assert.deepEqual(req.body.messages[0], { role: 'system', content: 'Be brief.' });
  });

  it('Azure: the deployment in the path, api-version in the query, the api-key header', async () => {
    server.script({ text: ['ok'] });
    await collect(providers.azure());
    const [req] = server.requests;
    assert.equal(req.path, '/openai/deployments/test-model/chat/completions');
    assert.equal(req.query.get('api-version'), '2024-10-21');
    assert.equal(req.headers['api-key'], 'az-test-key');
  });

  it('Groq and local servers: max_tokens, and a local server needs no real key', async () => {
    server.script({ text: ['ok'] }, { text: ['ok'] });
    await collect(providers.groq());
    await collect(providers.local());
    assert.equal(server.requests[0].headers.authorization, 'Bearer gsk-test');
    assert.equal(server.requests[0].body.max_tokens, 100);
    assert.equal(server.requests[1].body.max_tokens, 100);
  });

  it('Anthropic: x-api-key, anthropic-version, system outside the messages', async () => {
    server.script({ text: ['ok'] });
    await collect(providers.anthropic());
    const [req] = server.requests;
    assert.equal(req.path, '/v1/messages');
    assert.equal(req.headers['x-api-key'], 'sk-ant-test');
    assert.ok(req.headers['anthropic-version']);
    assert.equal(req.body.system, 'Be brief.');
    assert.deepEqual(req.body.messages, [{ role: 'user', content: 'Say hello.' }]);
  });

  it('reports no usage when the provider sends none, so the caller can count it', async () => {
    server.script({ text: ['no usage here'], usage: false });
    const chunks = await collect(providers.local());
    assert.equal(chunks.filter((c) => c.type === 'usage').length, 0);
  });

  it('is unreachable when nothing listens, as a network error naming the URL it tried and why', async () => {
    const port = await closedPort();
    const provider = createOpenAiCompatibleProvider({ id: 'local', baseUrl: `http://127.0.0.1:${port}/v1` });
    const err = await failure(collect(provider));
    assert.equal(err.kind, 'network');
    assert.match(err.message, new RegExp(`^the local model server at http://127\\.0\\.0\\.1:${port}/v1 is unreachable: ECONNREFUSED\\.$`, 'i'));
  });
});
