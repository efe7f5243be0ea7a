// docs/performance.md's headline table: start-up and bundle sizes (`npm run bench`), capsule
// export and history (`npm run bench:capsule`).
import type { CapsuleFigures } from './capsule';
import { block, caption, kib, mib, ms, notMeasured, table } from './format';
import type { DocTable, Spread } from './types';

export interface StartupFigures {
  bundles: Record<string, number>;
  vsix: { file: string; bytes: number } | null;
  serverInitializeMs: Spread;
  cliVersionMs: Spread;
  nodeAloneMs: Spread;
  activationMs: Spread;
  restartMs: Spread;
}

export const headline: DocTable = {
  id: 'performance-headline',
  doc: 'docs/performance.md',
  render(read) {
    const startup = read<StartupFigures>('startup');
    const capsule = read<CapsuleFigures>('capsule');
    const s = startup?.figures;
    const c = capsule?.figures;
    const bench = notMeasured('npm run bench');
    const median = (x: Spread, digits = 0) => `median ${ms(x.median, digits)} (n=${x.n})`;
    /** The figure, marked when it misses its target. */
    const against = (text: string, value: number, limit: number) => (value < limit ? text : `${text} — **over the target**`);
    const bundle = (name: string) => (s?.bundles[name] === undefined ? bench : kib(s.bundles[name]));
    const rows = [
      ['`activate()` entry → return, real extension host', '< 50 ms', s ? against(median(s.activationMs, 1), s.activationMs.median, 50) : bench],
      [
        'Server spawn → `initialize` result',
        '< 500 ms',
        s
          ? against(
              `median ${ms(s.serverInitializeMs.median)}, p90 ${ms(s.serverInitializeMs.p90)} (n=${s.serverInitializeMs.n})`,
              s.serverInitializeMs.median,
              500,
            )
          : bench,
      ],
      ['`QLP: Restart language server` → ready, real extension host', '', s ? median(s.restartMs) : bench],
      [
        '`qlp --version`, process start → exit',
        '',
        s ? `median ${ms(s.cliVersionMs.median)} (n=${s.cliVersionMs.n}; \`node -e 0\` alone: median ${ms(s.nodeAloneMs.median)})` : bench,
      ],
      [
        '`dist/extension.js`',
        '< 400 KiB',
        s?.bundles['extension.js'] === undefined ? bench : against(bundle('extension.js'), s.bundles['extension.js'], 400 * 1024),
      ],
      ['`dist/server.js`', '', bundle('server.js')],
      ['`dist/cli.js` (loader) / `dist/qlp.js`', '', s ? `${bundle('cli.js')} / ${bundle('qlp.js')}` : bench],
      [
        '`dist/validateWorker.js` / `dist/validateTools.js` / `dist/indexWorker.js`',
        '',
        s ? `${bundle('validateWorker.js')} / ${bundle('validateTools.js')} / ${bundle('indexWorker.js')}` : bench,
      ],
      ["`.vsix` (linux-x64, with LanceDB's native library)", '', s?.vsix ? mib(s.vsix.bytes) : bench],
      [
        'Capsule export, 200 files, 5 MB (ZIP / TAR / TAR.GZ)',
        '< 1 s',
        c
          ? against(
              `${['zip', 'tar', 'tgz'].map((f) => c.formats[f].exportMs).join(' / ')} ms (\`docs/capsules.md\`)`,
              Math.max(...['zip', 'tar', 'tgz'].map((f) => c.formats[f].exportMs)),
              1000,
            )
          : notMeasured('npm run bench:capsule'),
      ],
      [
        '10 capsule versions, one file changed each, vs one version',
        '< 1.3×',
        c ? against(`${c.history.ratio.toFixed(2)}×`, c.history.ratio, 1.3) : notMeasured('npm run bench:capsule'),
      ],
    ];
    return block(
      caption([
        ['startup', 'npm run bench', startup],
        ['capsule', 'npm run bench:capsule', capsule],
      ]),
      table(['What', 'Target', 'Measured'], rows),
    );
  },
};
