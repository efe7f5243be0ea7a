// docs/performance.md's generation and model-layer tables (`npm run bench:generate`,
// `npm run bench:models`).
import { block, caption, ms, notMeasured, seconds, table } from './format';
import type { DocTable, Spread } from './types';

interface Run {
  plan: number;
  written: number;
  checked: number;
  commit: number;
  total: number;
  sandboxMs: number;
  overhead: number;
  files: number;
  mutationMs?: number;
  mutants?: number;
  mutationScore?: number;
}

interface GenerateFigures {
  zeroLatency: Run;
  firstRun: Run;
  firstFileTextOverLspMs?: number[];
  fiftyTokensPerSecond?: Run;
}

export const generation: DocTable = {
  id: 'performance-generation',
  doc: 'docs/performance.md',
  render(read) {
    const results = read<GenerateFigures>('generate');
    const head = caption([['generate', 'npm run bench:generate', results]]);
    const bench = notMeasured('npm run bench:generate');
    if (!results) return block(head, table(['What', 'Target', 'Measured'], [['Generation of a 15-file project', '', bench]]));
    const z = results.figures.zeroLatency;
    const slow = results.figures.fiftyTokensPerSecond;
    const gaps = results.figures.firstFileTextOverLspMs;
    const rows = [
      ['Plan', '', seconds(z.plan)],
      [`All ${z.files} files written (3 at a time)`, '', seconds(z.written)],
      ['Validation of the files (worker cold start included)', '', seconds(z.checked - z.written - z.sandboxMs)],
      ['Sandboxed tests', 'excluded', seconds(z.sandboxMs)],
      [
        'Mutation check',
        "≤ 30 % of the tests' time, or ≤ 5 s",
        z.mutationMs === undefined ? bench : `${seconds(z.mutationMs)}, ${z.mutants} mutants, score ${z.mutationScore?.toFixed(2)}`,
      ],
      ['Pipeline overhead, sandbox and mutation check excluded (plan → files → validation → commit → capsule)', '< 3 s', `**${seconds(z.overhead)}**`],
      ['The whole run (second run; the first, cold)', '', `${seconds(z.total)} (first run ${seconds(results.figures.firstRun.total)})`],
      [
        "First token of a file's answer → its text at an LSP client (`dist/server.js` over stdio), 3 runs",
        '< 100 ms',
        gaps ? gaps.map((g) => ms(g, 1)).join(', ') : bench,
      ],
      [
        'The same project from a model streaming 50 tokens/s',
        '',
        slow ? `${seconds(slow.total, 1)}, of which sandboxed tests ${seconds(slow.sandboxMs, 1)}` : bench,
      ],
    ];
    return block(head, table(['What', 'Target', 'Measured'], rows));
  },
};

interface ModelsFigures {
  routerMicroseconds: number;
  streaming: { tokens: number; rawMs: Spread; adapterMs: Spread; serviceMs: Spread };
  firstTokenMs: Spread;
}

export const models: DocTable = {
  id: 'performance-models',
  doc: 'docs/performance.md',
  render(read) {
    const results = read<ModelsFigures>('models');
    const head = caption([['models', 'npm run bench:models', results]]);
    if (!results) return block(head, table(['What', 'Measured'], [['The model layer', notMeasured('npm run bench:models')]]));
    const m = results.figures;
    const rows = [
      ['A router decision (features + tier)', `${m.routerMicroseconds} µs`],
      [
        `Streaming ${m.streaming.tokens.toLocaleString('en-US')} tokens from the loopback server: raw SDK loop / guarded adapter / model service with its ledger write (medians of ${m.streaming.rawMs.n})`,
        `${ms(m.streaming.rawMs.median)} / ${ms(m.streaming.adapterMs.median)} / ${ms(m.streaming.serviceMs.median)}`,
      ],
      [
        "First token: the provider writes it → the model service's callback",
        `median ${ms(m.firstTokenMs.median, 2)}, max ${ms(m.firstTokenMs.max, 2)} (n=${m.firstTokenMs.n})`,
      ],
    ];
    return block(head, table(['What', 'Measured'], rows));
  },
};
