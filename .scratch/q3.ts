import { IndexService } from '/work/index/language-server/src/index/service';
import { ChunkStore, tableName } from '/work/index/language-server/src/index/store';
import { terms } from '/work/index/language-server/src/index/tokens';
(async () => {
  const s = await ChunkStore.open('/tmp/qlp-bench-search/index', tableName('hash', 256), 256);
  const qs = ['parse command line arguments into options', 'retry a request after a failure with a delay', 'walk a directory tree recursively', 'compare two version strings'];
  for (const k of [60, 30]) { const xs: number[] = [];
  for (let r = 0; r < 4; r++) for (const q of qs) { const t = performance.now(); await s.textSearch(terms(q).join(' '), k); xs.push(performance.now() - t); }
  console.log('fts', k, xs.map((x) => x.toFixed(0)).join(' ')); }
  s.close();
  const svc = await IndexService.open({ root: '/tmp/qlp-bench-search/corpus', indexDir: '/tmp/qlp-bench-search/index', exclude: ['node_modules/', '*.map', '*.min.js', '*.wasm', '*.node', '*.png', '*.gz', '*.tgz', 'package-lock.json'] });
  await svc.search('warm up', 10);
  const ys: number[] = [];
  for (let r = 0; r < 4; r++) for (const q of qs) { const t = performance.now(); await svc.search(q, 10); ys.push(performance.now() - t); }
  console.log('search', ys.map((x) => x.toFixed(0)).join(' '));
  await svc.close();
})();
