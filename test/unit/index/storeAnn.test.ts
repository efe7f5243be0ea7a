// The chunk store past its exact-search size: LanceDB's IVF-PQ index answers vector queries, finds
// what the exact scan finds, follows rows added and deleted after it was built, and goes away when
// the table shrinks back under the threshold.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ChunkStore, type ChunkRow } from '../../../language-server/src/index/store';
import { unitVectors } from '../../support/seeded';

const dimensions = 32;

/** Deterministic unit vectors, so a failure reproduces. */
const unitVectorsOf = (count: number, seed: number) => unitVectors(count, dimensions, seed);

const row = (i: number, vector: Float32Array, file = `f${i % 40}.ts`): ChunkRow => ({
  id: `${file}#${i}`,
  path: file,
  startLine: i,
  endLine: i + 1,
  symbol: `s${i}`,
  language: 'typescript',
  text: `function s${i}() {}`,
  terms: `s${i}`,
  vector,
});

/** A vector close to `v`: what a query for that chunk looks like. */
function near(v: Float32Array, seed: number): Float32Array {
  const noise = unitVectorsOf(1, seed)[0];
  const out = v.map((x, j) => x + 0.15 * noise[j]);
  const norm = Math.hypot(...out);
  return out.map((x) => x / norm);
}

describe('index: chunk store past the exact-search size', () => {
  it('answers through the IVF-PQ index, finding what the exact scan finds', async () => {
    const vectors = unitVectorsOf(4000, 5);
    const store = await ChunkStore.open(mkdtempSync(join(tmpdir(), 'qlp-ann-')), 'chunks', dimensions, 3000);
    await store.add(vectors.map((v, i) => row(i, v)));
    assert.equal(store.vectorMode, 'exact', 'no index before the run finishes');
    await store.finish();
    assert.equal(store.vectorMode, 'ivf-pq');

    let found = 0;
    for (let q = 0; q < 50; q++) {
      const target = (q * 79) % vectors.length;
      const hits = await store.vectorSearch(near(vectors[target], 1000 + q), 10);
      assert.equal(hits.length, 10);
      if (hits[0].chunk.symbol === `s${target}`) found++;
      assert.ok(hits[0].chunk.text.startsWith('function'), 'index hits come with their text');
      for (let k = 1; k < hits.length; k++) assert.ok(hits[k - 1].score >= hits[k].score, 'best first');
    }
    assert.ok(found >= 48, `the target came first for ${found} of 50 queries`);
    store.close();
  });

  it('finds rows added after the index was built, forgets deleted ones, and drops the index under the threshold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-ann-'));
    const vectors = unitVectorsOf(3200, 9);
    let store = await ChunkStore.open(dir, 'chunks', dimensions, 3000);
    await store.add(vectors.slice(0, 3100).map((v, i) => row(i, v)));
    await store.finish();
    const late = vectors.slice(3100).map((v, i) => row(3100 + i, v, 'late.ts'));
    await store.add(late);
    const lateHit = await store.vectorSearch(near(late[7].vector, 77), 5);
    assert.equal(lateHit[0].chunk.id, late[7].id, 'a row added after the index is found');

    await store.deletePaths(['late.ts']);
    const gone = await store.vectorSearch(near(late[7].vector, 77), 5);
    assert.ok(
      gone.every((h) => h.chunk.path !== 'late.ts'),
      'deleted rows are not found',
    );

    // Reopened, the store knows its mode from the table's size.
    store.close();
    store = await ChunkStore.open(dir, 'chunks', dimensions, 3000);
    assert.equal(store.vectorMode, 'ivf-pq');
    await store.deletePaths(Array.from({ length: 20 }, (_, i) => `f${i}.ts`));
    await store.finish();
    assert.equal(store.vectorMode, 'exact');
    const exact = await store.vectorSearch(near(vectors[21], 5), 3);
    assert.equal(exact[0].chunk.id, 'f21.ts#21');
    store.close();
  });
});
