import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexService } from '/work/index/language-server/src/index/service';
const corpus = '/tmp/qlp-bench-search/corpus';
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
(async () => {
  const svc = await IndexService.open({ root: corpus, indexDir: '/tmp/qlp-bench-search/index', exclude: ['node_modules/', '*.map', '*.min.js', '*.wasm', '*.node', '*.png', '*.gz', '*.tgz', 'package-lock.json'] });
  let t = performance.now();
  await (svc as any).store.finish();
  console.log('finish', (performance.now() - t).toFixed(0));
  const qs = ['parse command line arguments into options', 'retry a request after a failure with a delay', 'walk a directory tree recursively', 'compare two version strings', 'escape special characters in a regular expression'];
  await svc.search('warm', 10);
  const xs: number[] = [];
  for (let r = 0; r < 6; r++) for (const q of qs) { t = performance.now(); await svc.search(q, 10); xs.push(performance.now() - t); }
  console.log('query p50', pct(xs, 0.5).toFixed(1), 'p95', pct(xs, 0.95).toFixed(1));
  const saves: number[] = [];
  for (let i = 0; i < 8; i++) {
    writeFileSync(join(corpus, 'bench-saved.ts'), `/** Computes the zorbulation coefficient number ${i} for a flux capacitor. */\nexport function zorbulate${i}(flux: number): number {\n  return flux * ${i};\n}\n`);
    t = performance.now();
    await svc.updateFiles(['bench-saved.ts']);
    const [top] = await svc.search(`zorbulation coefficient ${i} flux capacitor`, 1);
    saves.push(performance.now() - t);
    if (top?.symbol !== `zorbulate${i}`) console.log('MISS', top?.symbol);
  }
  console.log('saves', saves.map((x) => x.toFixed(0)).join(' '));
  await svc.close();
  console.log('rss', Math.round(process.resourceUsage().maxRSS / 1024));
})();
