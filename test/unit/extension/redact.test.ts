import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact, redactedMark } from '../../../extension/src/redact';

describe('redact', () => {
  it('removes every occurrence of every known secret', () => {
    const text = 'Result: {"key":"sk-abc123456789"} and again sk-abc123456789, plus gsk-zzzzzzzz';
    assert.equal(redact(text, ['sk-abc123456789', 'gsk-zzzzzzzz']), `Result: {"key":"${redactedMark}"} and again ${redactedMark}, plus ${redactedMark}`);
  });

  it('leaves text without secrets alone, and ignores values too short to be keys', () => {
    assert.equal(redact('nothing to hide', ['sk-abc123456789']), 'nothing to hide');
    assert.equal(redact('a b c', ['a']), 'a b c');
  });
});
