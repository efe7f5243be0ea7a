// Package sizes per platform (`npm run bench:packages`) for docs/performance.md, and the first
// hour of a new user (`node --import tsx bench/firstHour.ts`) for docs/editor-generation.md.
import { block, caption, mib, notMeasured, table } from './format';
import type { DocTable } from './types';

interface VsixFigures {
  lancedbVersion: string;
  targets: Record<string, { bytes: number; nativeFile: string; nativeBytes: number }>;
  notPackaged: Record<string, string>;
}

export const vsixSizes: DocTable = {
  id: 'performance-packages',
  doc: 'docs/performance.md',
  render(read) {
    const results = read<VsixFigures>('vsix-sizes');
    const head = caption([['vsix-sizes', 'npm run bench:packages', results]]);
    const header = ['Target', '`.vsix`', "LanceDB's native library in it (unpacked)"];
    if (!results) return block(head, table(header, [['', notMeasured('npm run bench:packages'), '']]));
    const v = results.figures;
    const rows = Object.entries(v.targets).map(([target, t]) => [target, mib(t.bytes), `\`${t.nativeFile}\`, ${mib(t.nativeBytes)}`]);
    for (const [target, why] of Object.entries(v.notPackaged)) rows.push([target, 'no package', why]);
    return block(head, table(header, rows));
  },
};

interface FirstHourFigures {
  npmCache: string;
  npmCiSeconds: number;
  packagesInstalled: number | null;
  bundleSeconds: number;
  replaySeconds: number;
  totalSeconds: number;
  replay: { status: string; reproduced: boolean | null; files: number; tests: { passed: number; failed: number } };
}

export const firstHour: DocTable = {
  id: 'first-hour',
  doc: 'docs/editor-generation.md',
  render(read) {
    const results = read<FirstHourFigures>('first-hour');
    const command = 'node --import tsx bench/firstHour.ts';
    const head = caption([['first-hour', command, results]]);
    if (!results) return block(head, table(['Step', 'Took'], [['From a fresh clone to a first replayed project', notMeasured(command)]]));
    const f = results.figures;
    const rows = [
      [`\`npm ci\`, npm cache ${f.npmCache}${f.packagesInstalled ? `; ${f.packagesInstalled} packages` : ''}`, `${f.npmCiSeconds} s`],
      ['`npm run bundle`', `${f.bundleSeconds} s`],
      [
        `\`qlp generate --replay sample\`: ${f.replay.status}${f.replay.reproduced ? ', reproduced' : ''}, ${f.replay.files} files, tests ${f.replay.tests.passed} passed, ${f.replay.tests.failed} failed`,
        `${f.replaySeconds} s`,
      ],
      ['From a fresh clone to a first replayed project', `**${f.totalSeconds} s**`],
    ];
    return block(head, table(['Step', 'Took'], rows));
  },
};
