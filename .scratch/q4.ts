import { ChunkStore, tableName } from '/work/index/language-server/src/index/store';
import { HashEmbedder } from '/work/index/language-server/src/index/embedders/hashEmbedder';
import { terms } from '/work/index/language-server/src/index/tokens';
import { fuse, rerank } from '/work/index/language-server/src/index/rank';
import { loadManifest } from '/work/index/language-server/src/index/manifest';
(async () => {
  const s = await ChunkStore.open('/tmp/qlp-bench-search/index', tableName('hash', 256), 256);
  const m = (await loadManifest('/tmp/qlp-bench-search/index', tableName('hash', 256)))!;
  const e = new HashEmbedder();
  const qs = ['parse command line arguments into options', 'retry a request after a failure with a delay', 'walk a directory tree recursively', 'compare two version strings'];
  await s.vectorSearch((await e.embed(['x']))[0], 5);
  for (let r = 0; r < 3; r++) for (const q of qs) {
    let t = performance.now();
    const text = await s.textSearch(terms(q).join(' '), 30);
    const a = performance.now() - t; t = performance.now();
    const [v] = await e.embed([q]);
    const near = await s.vectorSearch(v, 30, new Map(text.map((h) => [h.chunk.id, h.chunk])));
    const b = performance.now() - t; t = performance.now();
    rerank(q, fuse(text, near), { df: m.df, chunks: m.chunks }, 10);
    const c = performance.now() - t;
    console.log(a.toFixed(1), b.toFixed(1), c.toFixed(1));
  }
  s.close();
})();
