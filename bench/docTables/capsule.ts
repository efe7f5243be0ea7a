// docs/capsules.md's figures: snapshot, export, import and history (`npm run bench:capsule`), and
// the secret scan on real code (`node --import tsx bench/secrets.ts`).
import { block, caption, mib, ms, notMeasured, table, thousands } from './format';
import type { DocTable } from './types';

export interface CapsuleFigures {
  project: { files: number; bytes: number; sourceFiles: number; binaryFiles: number };
  runs: number;
  snapshotFirstMs: number;
  snapshotUnchangedMs: number;
  secretScanUncachedMs: number;
  formats: Record<string, { exportMs: number; exportUncachedMs: number; archiveBytes: number; importMs: number }>;
  cliExportMs: number;
  history: { versions: number; storeBytes: number; ratio: number; blobBytes: number; otherBytes: number };
}

const formats = ['zip', 'tar', 'tgz'];
const names: Record<string, string> = { zip: 'ZIP', tar: 'TAR', tgz: 'TAR.GZ' };

export const capsuleFigures: DocTable = {
  id: 'capsule-figures',
  doc: 'docs/capsules.md',
  render(read) {
    const results = read<CapsuleFigures>('capsule');
    const head = caption([['capsule', 'npm run bench:capsule', results]]);
    if (!results) return block(head, table(['What', 'Target', 'Measured'], [['Snapshot, export, import, history', '', notMeasured('npm run bench:capsule')]]));
    const c = results.figures;
    const each = (f: (name: string) => string) => formats.map(f).join(' / ');
    const rows = [
      [
        'Project',
        '',
        `${c.project.files} files, ${mib(c.project.bytes)} (${c.project.sourceFiles} source files, ${c.project.binaryFiles} binary); each figure the median of ${c.runs} runs`,
      ],
      ...formats.map((f) => [
        `Export to ${names[f]} (secret check from the snapshot's cache)`,
        '< 1 s',
        `${ms(c.formats[f].exportMs)} (${mib(c.formats[f].archiveBytes)} archive)`,
      ]),
      ['Export with nothing cached (secret scan included), ZIP / TAR / TAR.GZ', '', `${each((f) => String(c.formats[f].exportUncachedMs))} ms`],
      ['Secret scan of the 200 files, nothing cached', '', ms(c.secretScanUncachedMs)],
      ['Snapshot, first version (hash, scan, store) / unchanged folder', '', `${c.snapshotFirstMs} / ${ms(c.snapshotUnchangedMs)}`],
      ['Import with every hash checked, ZIP / TAR / TAR.GZ', '', `${each((f) => String(c.formats[f].importMs))} ms`],
      ['`qlp capsule export … --out project.zip` as a process, start → exit', '', ms(c.cliExportMs)],
      [
        `${c.history.versions} versions, one file changed each, store size vs one version`,
        '< 1.3×',
        `${c.history.ratio.toFixed(3)}× (${mib(c.history.storeBytes)}: blobs ${mib(c.history.blobBytes)}, manifests and records ${mib(c.history.otherBytes, 2)})`,
      ],
    ];
    return block(head, table(['What', 'Target', 'Measured'], rows));
  },
};

interface SecretsFigures {
  cleanProjects: Array<{ project: string; scanned: number; flagged: number; flaggedOnlyByQlpRules: number }>;
  totals: { scanned: number; flagged: number };
  corpus: { total: number; keptOut: number; missed: string[] };
  placeholders: { total: number; flagged: string[] };
}

export const secretScan: DocTable = {
  id: 'capsule-secret-scan',
  doc: 'docs/capsules.md',
  render(read) {
    const results = read<SecretsFigures>('secrets');
    const head = caption([['secrets', 'node --import tsx bench/secrets.ts', results]]);
    if (!results) return block(head, table(['What', 'Files', 'Flagged'], [['Secret scan', notMeasured('node --import tsx bench/secrets.ts'), '']]));
    const s = results.figures;
    const rows = [
      [
        'Ordinary secrets (`test/support/secretCorpus.ts`)',
        String(s.corpus.total),
        `${s.corpus.keptOut} found${s.corpus.missed.length ? ` (missed: ${s.corpus.missed.join(', ')})` : ''}`,
      ],
      [
        'Placeholder files',
        String(s.placeholders.total),
        `${s.placeholders.flagged.length}${s.placeholders.flagged.length ? ` (${s.placeholders.flagged.join(', ')})` : ''}`,
      ],
      ...s.cleanProjects.map((p) => [
        `\`${p.project}\``,
        thousands(p.scanned),
        p.flagged ? `${p.flagged}${p.flaggedOnlyByQlpRules ? ` (${p.flaggedOnlyByQlpRules} only by QLP's rules)` : ''}` : '0',
      ]),
      ['All clean files', thousands(s.totals.scanned), String(s.totals.flagged)],
    ];
    return block(head, table(['What', 'Files', 'Flagged'], rows));
  },
};
