// The vector scan's WebAssembly kernel: the shipped bytes are the compiled dots.wat, and its dot
// products are exact for every int8 value, at the largest row sums and across memory growth.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DotKernel } from '../../../language-server/src/index/kernel/dots';
import { compileDots, dotsSource, kernelDir } from '../../../scripts/build-dot-kernel';

/** Deterministic int8 values over the whole range, -128 to 127. */
function int8s(length: number, seed: number): Int8Array {
  let state = seed;
  // The high bits of the generator: its low bits repeat every 256 draws.
  return Int8Array.from({ length }, () => ((state = (state * 1103515245 + 12345) % 2 ** 31) >>> 23) - 128);
}

describe('index: dot-product kernel', () => {
  it('ships the bytes dots.wat compiles to', async () => {
    assert.equal(readFileSync(join(kernelDir, 'dotsWasm.ts'), 'utf8'), dotsSource(await compileDots()), 'run npm run kernel:build');
  });

  it('computes exact int32 dot products, at the extremes and after the memory grew', () => {
    for (const d of [16, 256, 1536]) {
      const kernel = DotKernel.create(d)!;
      assert.ok(kernel, 'WebAssembly SIMD runs in this Node');
      const early = int8s(4 * d, d);
      kernel.reserve(4).set(early);
      const rows = kernel.reserve(3000); // past the first page of memory
      assert.deepEqual(rows.subarray(0, 4 * d), early, 'the rows stay where they were');
      rows.set(int8s(2996 * d, d + 1), 4 * d);
      rows.fill(-128, 4 * d, 5 * d); // row 4 reaches the largest sum: -128 · -128 · d
      const query = int8s(d, 3);
      const got = kernel.scores(query, 3000);
      for (let i = 0; i < 3000; i += 7) {
        let want = 0;
        for (let j = 0; j < d; j++) want += rows[i * d + j] * query[j];
        assert.equal(got[i], want, `row ${i}, d ${d}`);
      }
      assert.equal(kernel.scores(new Int8Array(d).fill(-128), 3000)[4], 128 * 128 * d);
    }
  });

  it('is refused for rows that are not a multiple of 16 long (the scan then runs in JavaScript)', () => {
    assert.equal(DotKernel.create(8), undefined);
    assert.equal(DotKernel.create(100), undefined);
  });
});
