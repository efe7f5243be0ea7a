// docs/backend.md's figures: the team backend under load (`npm run bench:backend`) and how fast it
// refuses manifests of paths too deep (`node --import tsx bench/backendRefusals.ts`).
import { block, caption, mib, ms, notMeasured, table, thousands } from './format';
import type { DocTable } from './types';

interface List {
  clients: number;
  pageSize: number;
  bytesPerAnswer: number;
  median: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
  runs: Array<{ errors: number }>;
}

interface Transfer {
  capsules: number;
  list: List;
  files: number;
  bytes: number;
  pushMs: { median: number };
  pullMs: { median: number };
}

interface BackendFigures {
  loadAverage: { start: number; end: number };
  postgresTwoInstances: Transfer & { listFreshnessAcrossInstances: { medianMs: number; maxMs: number; runs: number[] } };
  sharedRateLimit: { instances: number; limitPerMinute: number; requests: number; allowed: number; refused429: number; seconds: number };
  sharedRateLimitStatement: { sequentialP50Ms: number; sequentialP99Ms: number; oneBucket32CallersPerSecond: number };
  embeddedOneInstance: Transfer;
}

const list = (l: List) =>
  `${thousands(l.median.requestsPerSecond)} requests/s, p50 ${ms(l.median.p50Ms, 1)}, p99 ${ms(l.median.p99Ms, 1)}, ${l.runs.reduce((n, r) => n + r.errors, 0)} errors`;

export const backendLoad: DocTable = {
  id: 'backend-load',
  doc: 'docs/backend.md',
  render(read) {
    const results = read<BackendFigures>('backend');
    const head = caption([['backend', 'npm run bench:backend', results]]);
    const header = ['What', 'Target', 'PostgreSQL 15, two instances', 'Embedded (PGlite), one instance'];
    if (!results) return block(head, table(header, [['The team backend', '', notMeasured('npm run bench:backend'), '']]));
    const {
      postgresTwoInstances: pg,
      embeddedOneInstance: embedded,
      sharedRateLimit: limit,
      sharedRateLimitStatement: statement,
      loadAverage,
    } = results.figures;
    const rows = [
      ['Capsules in the database', '', String(pg.capsules), String(embedded.capsules)],
      [
        `\`GET /v1/capsules\` (${pg.list.pageSize} a page, ${thousands(pg.list.bytesPerAnswer / 1024)} KiB), ${pg.list.clients} clients`,
        '≥ 2,000 requests/s, p99 < 50 ms',
        list(pg.list),
        list(embedded.list),
      ],
      [`Push of a new ${pg.files}-file, ${mib(pg.bytes)} capsule`, '< 1 s', ms(pg.pushMs.median, 1), ms(embedded.pushMs.median, 1)],
      ['Its pull (through the other instance)', '', ms(pg.pullMs.median, 1), ms(embedded.pullMs.median, 1)],
      [
        'A push through one instance listed by the other (its list cached)',
        '',
        `median ${ms(pg.listFreshnessAcrossInstances.medianMs, 1)}, max ${ms(pg.listFreshnessAcrossInstances.maxMs, 1)} (n=${pg.listFreshnessAcrossInstances.runs.length})`,
        '',
      ],
      [
        `Shared rate limit at ${limit.limitPerMinute} a minute, ${limit.requests} requests through ${limit.instances} instances`,
        `${limit.limitPerMinute} allowed`,
        `${limit.allowed} allowed, ${limit.refused429} refused (429), in ${limit.seconds} s`,
        '',
      ],
      [
        'One shared rate-limit statement, one after another; 32 callers on one bucket',
        '',
        `p50 ${ms(statement.sequentialP50Ms, 1)}, p99 ${ms(statement.sequentialP99Ms, 1)}; ${thousands(statement.oneBucket32CallersPerSecond)} a second`,
        '',
      ],
    ];
    return block(
      `${head}\\\n_Each figure the median of three runs, all kept in the file; load average ${loadAverage.start} at the start, ${loadAverage.end} at the end._`,
      table(header, rows),
    );
  },
};

interface Refusal {
  paths: number;
  levelsPerPath: number;
  bodyBytes: number;
  status: number;
  refusalMs: { median: number; max: number };
  healthzMeanwhileMs: { answers: number; median: number; max: number };
}

interface RefusalFigures {
  runsPerCase: number;
  databases: Record<string, Refusal[]>;
}

export const backendRefusals: DocTable = {
  id: 'backend-refusals',
  doc: 'docs/backend.md',
  render(read) {
    const results = read<RefusalFigures>('backend-refusals');
    const head = caption([['backend-refusals', 'node --import tsx bench/backendRefusals.ts', results]]);
    const header = ['Database', 'Manifest', 'Answer', 'Refused in (median, max)', '`/healthz` meanwhile (median, max)'];
    if (!results) return block(head, table(header, [['', '', notMeasured('node --import tsx bench/backendRefusals.ts'), '', '']]));
    const names: Record<string, string> = { embedded: 'embedded (PGlite)', postgres: 'PostgreSQL' };
    const rows = Object.entries(results.figures.databases).flatMap(([db, cases]) =>
      cases.map((c) => [
        names[db] ?? db,
        `${thousands(c.paths)} paths ${thousands(c.levelsPerPath)} levels deep, ${mib(c.bodyBytes)}`,
        String(c.status),
        `${ms(c.refusalMs.median, 1)}, ${ms(c.refusalMs.max, 1)} (n=${results.figures.runsPerCase})`,
        `${ms(c.healthzMeanwhileMs.median, 1)}, ${ms(c.healthzMeanwhileMs.max, 1)} (${c.healthzMeanwhileMs.answers} answers)`,
      ]),
    );
    return block(head, table(header, rows));
  },
};
