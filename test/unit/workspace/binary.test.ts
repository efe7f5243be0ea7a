// Binary or text, as git decides it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksBinary } from '../../../language-server/src/workspace/binary';

describe('binary files', () => {
  it('are those with a NUL byte among the first 8,000 bytes', () => {
    const withNulAt = (at: number) => {
      const data = Buffer.alloc(10_000, 'a');
      data[at] = 0;
      return data;
    };
    assert.equal(looksBinary(withNulAt(0)), true);
    assert.equal(looksBinary(withNulAt(7999)), true);
    assert.equal(looksBinary(withNulAt(8000)), false);
    assert.equal(looksBinary(Buffer.from('plain text\n')), false);
    assert.equal(looksBinary(new Uint8Array(0)), false);
  });
});
