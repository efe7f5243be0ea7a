process.env.LANCE_CPU_THREADS ??= '2';
import * as lancedb from '@lancedb/lancedb';
import { HashEmbedder } from '/work/index/language-server/src/index/embedders/hashEmbedder';
import { terms } from '/work/index/language-server/src/index/tokens';
(async () => {
  const db = await lancedb.connect('/tmp/qlp-bench-search/index');
  const t = await db.openTable('chunks_hash_256');
  let t0 = performance.now();
  await t.optimize({ cleanupOlderThan: new Date() });
  console.log('optimize', performance.now() - t0);
  const e = new HashEmbedder();
  const qs = ['parse command line arguments into options', 'retry a request after a failure with a delay', 'walk a directory tree recursively'];
  const run = async (label: string, cols: string[]) => {
    const xs: number[] = [], ys: number[] = [];
    for (let r = 0; r < 3; r++) for (const q of qs) {
      const [v] = await e.embed([q]);
      let s = performance.now();
      await t.query().nearestTo(Array.from(v)).distanceType('cosine').select([...cols, '_distance']).limit(60).toArray();
      xs.push(performance.now() - s); s = performance.now();
      await t.query().fullTextSearch(terms(q).join(' '), { columns: 'terms' }).select([...cols, '_score']).limit(60).toArray();
      ys.push(performance.now() - s);
    }
    console.log(label, 'vec', xs.map((x) => x.toFixed(0)).join(' '), '| fts', ys.map((x) => x.toFixed(0)).join(' '));
  };
  await run('all', ['id', 'path', 'startLine', 'endLine', 'symbol', 'language', 'text', 'terms']);
  await run('id', ['id']);
  t0 = performance.now();
  await t.createIndex('vector', { config: lancedb.Index.hnswSq({ distanceType: 'cosine' }), replace: true });
  console.log('hnsw build', performance.now() - t0);
  await run('hnsw-all', ['id', 'path', 'startLine', 'endLine', 'symbol', 'language', 'text', 'terms']);
  await run('hnsw-id', ['id']);
})();
