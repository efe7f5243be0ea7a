// docs/sandbox.md's figures: per-run overhead (`npm run bench:sandbox`) and the mutation check's
// cost (`npm run bench:mutation`).
import { block, caption, ms, notMeasured, percent, table } from './format';
import type { Figures as MutationFigures } from '../mutation';
import type { Row } from '../sandbox';
import type { DocTable } from './types';

interface SandboxFigures {
  loadAverageAtStart: number[];
  versions: { bwrap: string | null; docker: string | null };
  warmContainerStartMs: number | null;
  rows: Row[];
}

export const sandboxOverhead: DocTable = {
  id: 'sandbox-overhead',
  doc: 'docs/sandbox.md',
  render(read) {
    const results = read<SandboxFigures>('sandbox');
    const head = caption([['sandbox', 'npm run bench:sandbox', results]]);
    if (!results)
      return block(
        head,
        table(['What', 'p50', 'p90', 'Overhead over `node -e 0`, p50', 'n'], [['Sandbox overhead', notMeasured('npm run bench:sandbox'), '', '', '']]),
      );
    const s = results.figures;
    const versions = [s.versions.docker && `Docker ${s.versions.docker}`, s.versions.bwrap].filter(Boolean).join(', ');
    const rows = s.rows.map((r) => [r.what, ms(r.p50Ms), ms(r.p90Ms), r.overheadP50Ms === undefined ? '' : ms(r.overheadP50Ms), String(r.n)]);
    if (s.warmContainerStartMs !== null) rows.push(['docker: starting the warm container, once per generation', ms(s.warmContainerStartMs), '', '', '1']);
    return block(
      `${head}\\\n_${versions}; load average ${s.loadAverageAtStart[0]} at the start._`,
      table(['What', 'p50', 'p90', 'Overhead over `node -e 0`, p50', 'n'], rows),
    );
  },
};

export const sandboxTargets: DocTable = {
  id: 'sandbox-targets',
  doc: 'docs/sandbox.md',
  render(read) {
    const results = read<SandboxFigures>('sandbox');
    const head = caption([['sandbox', 'npm run bench:sandbox', results]]);
    const find = (id: string) => results?.figures.rows.find((r) => r.id === id)?.overheadP50Ms;
    const verdict = (value: number | undefined, limit: number) =>
      value === undefined ? notMeasured('npm run bench:sandbox') : value <= limit ? 'met' : '**not met**';
    const overhead = (value: number | undefined) => (value === undefined ? notMeasured('npm run bench:sandbox') : ms(value));
    const bwrap = find('bwrap-cold');
    const cold = find('docker-cold');
    const warm = find('docker-warm');
    const rows = [
      ['bubblewrap ≤ 100 ms', overhead(bwrap), verdict(bwrap, 100)],
      ['Docker ≤ 250 ms, fresh container', overhead(cold), verdict(cold, 250)],
      [
        'Docker, warm container (used for repeated runs)',
        warm === undefined
          ? overhead(warm)
          : `${ms(warm)}${cold !== undefined && warm > 0 ? ` (${(cold / warm).toFixed(1)}× less than a fresh container)` : ''}`,
        '',
      ],
    ];
    return block(head, table(['Target', 'Measured (overhead over `node -e 0`, p50)', ''], rows));
  },
};

export const mutationCost: DocTable = {
  id: 'sandbox-mutation',
  doc: 'docs/sandbox.md',
  render(read) {
    const results = read<MutationFigures[]>('mutation');
    const head = caption([['mutation', 'npm run bench:mutation', results]]);
    const header = ['Sandbox', 'Project', 'Test run', 'Mutation check', 'Mutants', 'Score', 'Target (≤ 30 % or ≤ 5 s)'];
    if (!results) return block(head, table(header, [['', '', notMeasured('npm run bench:mutation'), '', '', '', '']]));
    const rows = results.figures.map((f) => {
      const counts = [`${f.killed} killed`, f.timedOut ? `${f.timedOut} timed out` : '', `${f.survived} survived`, f.notRun ? `${f.notRun} not run` : '']
        .filter(Boolean)
        .join(', ');
      const how = f.mutationMs <= 0.3 * f.testMs ? `met (${percent(f.share)})` : f.met ? 'met (≤ 5 s)' : '**not met**';
      return [f.sandbox, f.project, ms(f.testMs), ms(f.mutationMs), `${f.mutants} (${counts})`, f.score.toFixed(2), how];
    });
    return block(head, table(header, rows));
  },
};
