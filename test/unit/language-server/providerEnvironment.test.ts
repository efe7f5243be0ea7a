import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultLocalBaseUrl, providersFromEnvironment } from '../../../language-server/src/llm/providerEnvironment';

describe('providersFromEnvironment', () => {
  it('reports every provider, none configured in an empty environment', () => {
    const probes = providersFromEnvironment({});
    assert.deepEqual(probes.map((p) => p.id), ['openai', 'azure', 'anthropic', 'groq', 'local']);
    assert.ok(probes.every((p) => !p.configured));
    assert.equal(probes.find((p) => p.id === 'local')?.baseUrl, defaultLocalBaseUrl);
  });

  it('names the variable a provider came from, and its base URL, but never the key', () => {
    const env = {
      OPENAI_API_KEY: 'sk-openai-secret-1',
      OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1',
      ANTHROPIC_API_KEY: 'sk-ant-secret-2',
      GROQ_API_KEY: 'gsk-secret-3',
      QLP_LOCAL_BASE_URL: 'http://127.0.0.1:1234/v1',
    };
    const probes = providersFromEnvironment(env);
    const byId = Object.fromEntries(probes.map((p) => [p.id, p]));
    assert.deepEqual(byId.openai, { id: 'openai', configured: true, source: 'OPENAI_API_KEY', baseUrl: 'http://127.0.0.1:9999/v1' });
    assert.equal(byId.anthropic.configured, true);
    assert.equal(byId.groq.source, 'GROQ_API_KEY');
    assert.deepEqual(byId.local, { id: 'local', configured: true, source: 'QLP_LOCAL_BASE_URL', baseUrl: 'http://127.0.0.1:1234/v1' });
    const text = JSON.stringify(probes);
    for (const secret of ['sk-openai-secret-1', 'sk-ant-secret-2', 'gsk-secret-3']) assert.ok(!text.includes(secret));
  });

  it('needs both key and endpoint for Azure', () => {
    assert.equal(providersFromEnvironment({ AZURE_OPENAI_API_KEY: 'k' })[1].configured, false);
    const azure = providersFromEnvironment({ AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' })[1];
    assert.equal(azure.configured, true);
    assert.equal(azure.baseUrl, 'https://x.openai.azure.com');
  });
});
