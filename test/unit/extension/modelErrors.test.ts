import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyModelFailure, explainModelError, providersNamed } from '../../../extension/src/modelErrors';

const local = 'http://127.0.0.1:11434/v1';

describe('model failures in the editor', () => {
  it('names the URL the local model server was called at, without a doubled full stop', () => {
    assert.equal(
      explainModelError('Every T1 provider failed: the local model server is unreachable: Connection error..', { local }),
      `Every T1 provider failed: the local model server at ${local} is unreachable: Connection error.`,
    );
    assert.equal(explainModelError('the local model server did not answer in time.', { local }), `The local model server at ${local} did not answer in time.`);
  });

  it('tells OpenAI from Azure OpenAI and names each one its own URL', () => {
    const message = 'Every T2 provider failed: Azure OpenAI failed with 503: busy; OpenAI is unreachable: fetch failed.';
    const text = explainModelError(message, { azure: 'https://me.openai.azure.com', openai: 'https://api.openai.com/v1' });
    assert.equal(
      text,
      'Every T2 provider failed: Azure OpenAI at https://me.openai.azure.com failed with 503: busy; OpenAI at https://api.openai.com/v1 is unreachable: fetch failed.',
    );
    assert.deepEqual(providersNamed(message), ['azure', 'openai']);
  });

  it('leaves a message alone when it names no provider or no URL is known', () => {
    assert.equal(explainModelError('the local model server is unreachable: x.', {}), 'The local model server is unreachable: x.');
    assert.equal(explainModelError('The plan was not approved; nothing was written.', { local }), 'The plan was not approved; nothing was written.');
  });

  it('tells a missing model from a model that is down from anything else', () => {
    assert.equal(classifyModelFailure('No model provider is configured; set one up with "QLP: Set API key" or the provider environment variables.'), 'noModel');
    assert.equal(classifyModelFailure('No provider serves tier T2; configure one with "QLP: Set API key".'), 'noModel');
    assert.equal(classifyModelFailure('Every T1 provider failed: the local model server failed with 503: busy.'), 'modelDown');
    assert.equal(classifyModelFailure('OpenAI refused the API key (401); set a valid key with "QLP: Set API key".'), 'modelDown');
    assert.equal(classifyModelFailure('Choose a folder inside the workspace for the project.'), 'other');
  });
});
