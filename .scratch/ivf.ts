process.env.LANCE_CPU_THREADS ??= '2';
import * as lancedb from '@lancedb/lancedb';
import { HashEmbedder } from '/work/index/language-server/src/index/embedders/hashEmbedder';
(async () => {
  const db = await lancedb.connect('/tmp/qlp-bench-search/index');
  const t = await db.openTable('chunks_hash_256');
  const n = await t.countRows();
  let t0 = performance.now();
  await t.createIndex('vector', { config: lancedb.Index.ivfFlat({ distanceType: 'cosine', numPartitions: Math.round(Math.sqrt(n)) }), replace: true });
  console.log('ivf_flat build', n, (performance.now() - t0).toFixed(0));
  const e = new HashEmbedder();
  const qs = ['parse command line arguments into options', 'retry a request after a failure with a delay', 'walk a directory tree recursively', 'compare two version strings'];
  for (const np of [10, 20]) { const xs: number[] = [];
    for (let r = 0; r < 3; r++) for (const q of qs) { const [v] = await e.embed([q]); const s = performance.now();
      await t.query().nearestTo(Array.from(v)).distanceType('cosine').nprobes(np).select(['id', 'path', 'startLine', 'endLine', 'symbol', 'language', '_distance']).limit(30).toArray(); xs.push(performance.now() - s); }
    console.log('nprobes', np, xs.map((x) => x.toFixed(0)).join(' ')); }
})();
