import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VectorCache } from '../../../language-server/src/index/vectorCache';

/** Deterministic unit vectors (a small LCG), so a failure reproduces. */
function unitVectors(count: number, dimensions: number, seed = 7): Float32Array[] {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: dimensions }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const meta = (i: number) => ({ id: `f${i % 50}.ts#${i}`, path: `f${i % 50}.ts`, startLine: i, endLine: i + 1, symbol: `s${i}`, language: 'typescript' });
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, j) => s + x * b[j], 0);

// Both scans: the WebAssembly kernel and the JavaScript one it falls back to.
for (const simd of [true, false])
  describe(`index: vector cache (${simd ? 'WebAssembly kernel' : 'JavaScript scan'})`, () => {
    it('ranks like exact cosine despite 8-bit storage, and scores within 1 %', () => {
      const vectors = unitVectors(2000, 64);
      const cache = new VectorCache(64, 16, { simd }); // starts small: grows as vectors arrive
      assert.equal(cache.simd, simd);
      vectors.forEach((v, i) => cache.add(meta(i), v));
      assert.equal(cache.size, 2000);
      for (const query of unitVectors(20, 64, 99)) {
        const exact = vectors
          .map((v, i) => ({ i, s: dot(v, query) }))
          .sort((a, b) => b.s - a.s)
          .slice(0, 10);
        const got = cache.search(query, 10);
        assert.equal(got.length, 10);
        const overlap = got.filter((h) => exact.some((e) => `s${e.i}` === h.meta.symbol)).length;
        assert.ok(overlap >= 9, `top-10 overlap ${overlap}`);
        assert.ok(Math.abs(got[0].score - exact[0].s) < 0.01, `${got[0].score} vs ${exact[0].s}`);
        for (let p = 1; p < got.length; p++) assert.ok(got[p - 1].score >= got[p].score, 'best first');
      }
    });

    it("ranks a sparse query (a few set dimensions, the hash embedder's) like exact cosine too", () => {
      const vectors = unitVectors(2000, 64);
      const cache = new VectorCache(64, 1024, { simd });
      vectors.forEach((v, i) => cache.add(meta(i), v));
      for (let q = 0; q < 10; q++) {
        const query = new Float32Array(64);
        for (const j of [q, q + 17, q + 40]) query[j] = j % 2 ? 0.6 : -0.55;
        const exact = vectors.map((v, i) => ({ i, s: dot(v, query) })).sort((a, b) => b.s - a.s);
        const got = cache.search(query, 5);
        assert.equal(got[0].meta.symbol, `s${exact[0].i}`);
        assert.ok(Math.abs(got[0].score - exact[0].s) < 0.01, `${got[0].score} vs ${exact[0].s}`);
      }
    });

    it('forgets the vectors of deleted paths and reuses their slots', () => {
      const vectors = unitVectors(100, 32);
      const cache = new VectorCache(32, 1024, { simd });
      vectors.forEach((v, i) => cache.add(meta(i), v));
      cache.deletePaths(new Set(['f3.ts']));
      assert.equal(cache.size, 98);
      assert.ok(!cache.search(vectors[3], 100).some((h) => h.meta.path === 'f3.ts'));
      cache.add({ ...meta(3), id: 'new#0', symbol: 'replacement' }, vectors[3]);
      assert.equal(cache.size, 99);
      assert.equal(cache.search(vectors[3], 1)[0].meta.symbol, 'replacement');
    });

    it('keeps a zero vector out of the way instead of dividing by zero', () => {
      const cache = new VectorCache(8, 1024, { simd }); // not a multiple of 16: the kernel does not take it
      cache.add(meta(0), new Float32Array(8));
      const [v] = unitVectors(1, 8);
      cache.add(meta(1), v);
      const hits = cache.search(v, 2);
      assert.equal(hits[0].meta.symbol, 's1');
      assert.ok(Number.isFinite(hits[1]?.score ?? 0));
    });
  });
