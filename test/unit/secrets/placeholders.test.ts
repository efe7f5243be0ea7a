import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlaceholder } from '../../../language-server/src/secrets/placeholders';

describe('placeholders', () => {
  it('takes "your …", "my …" and their run-together words for instructions', () => {
    for (const v of ['your-key', 'your_token_here', 'my password', 'YourApiKeyHere', 'mysecret', 'MYPASSWORD', 'insert-key', 'paste_your_token', 'some-value'])
      assert.ok(isPlaceholder(v), v);
  });

  it('keeps random values that only start with a lead word: they are secrets', () => {
    // Each begins with the letters of "my", "add", "some", "put", "enter" or "your", as one random
    // value in a few dozen does; the lead word alone once made them placeholders.
    for (const v of [
      'MyrUC7-yS77!',
      'addeo7-aR77!',
      'addaa03ffb53e5a6b25f369063753e7a',
      'MYRbxFxojCMryGX39LbAFCUnebJwHLyH',
      'somE8xQ2v',
      'put9Kx!z',
      'enterQ7rT2w',
      'yourZ4k9Pq2m',
    ])
      assert.equal(isPlaceholder(v), false, v);
  });

  it('judges a long value that starts with a lead word in linear time', () => {
    // A scanned file is untrusted: a backtracking pattern would stall the scan on this for hours.
    const started = performance.now();
    assert.equal(isPlaceholder(`my${'a'.repeat(40)}1`), false);
    assert.equal(isPlaceholder(`your${'Ab'.repeat(5000)}`), true);
    assert.ok(performance.now() - started < 1000, 'the placeholder check backtracked');
  });
});
