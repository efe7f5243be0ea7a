// The held-out packages of the search model (scripts/search-model/heldout-queries.json) judged by
// the public evaluation's own script: each package becomes a query set in the script's format, in
// a work folder beside a copy of the script (it reads sets from its own folder), and is run
// against the built `qlp` with the script's own baseline. Off-topic queries are left out: the
// script scores only answered ones. Ranks are pooled over the packages.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heldoutQueries, loadSet, type QuerySet } from '../scripts/search-model/evalSearch';

type Kind = 'descriptive' | 'keyword';
type Ranks = Record<string, number | null>;
export interface Pooled {
  n: number;
  mrr10: number;
  hit10: number;
}

/** One package's queries as the evaluation script reads them (Debian sources are its `apt` type). */
function scriptSet(set: QuerySet, corpus: string) {
  const sources = set.corpora![corpus].sources.map((s) => (s.type === 'debian' ? { type: 'apt', package: s.package, version: s.version, copy: s.copy } : s));
  const queries = set.queries.filter((q) => q.corpus === corpus && q.kind !== 'offtopic').map(({ id, query, kind, targets }) => ({ id, query, kind, targets }));
  return { name: `heldout-${corpus}`, description: `held-out package ${corpus}`, corpus: { sources }, queries };
}

function pool(ranks: Ranks, kinds: Map<string, Kind>, kind?: Kind): Pooled {
  const ids = Object.keys(ranks).filter((id) => !kind || kinds.get(id) === kind);
  const found = ids.map((id) => ranks[id]).filter((r): r is number => r !== null && r <= 10);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { n: ids.length, mrr10: round(found.reduce((a, r) => a + 1 / r, 0) / ids.length), hit10: round(found.length / ids.length) };
}

export function heldoutThroughScript(evalScript: string, cli: string) {
  const set = loadSet(heldoutQueries);
  const work = join(tmpdir(), 'qlp-bench-search-heldout');
  mkdirSync(work, { recursive: true });
  copyFileSync(evalScript, join(work, 'eval-search.mjs'));
  const product: Ranks = {};
  const baseline: Ranks = {};
  for (const corpus of Object.keys(set.corpora!)) {
    const name = `heldout-${corpus}`;
    writeFileSync(join(work, `queries-${name}.json`), JSON.stringify(scriptSet(set, corpus)));
    const run = spawnSync(process.execPath, [join(work, 'eval-search.mjs'), '--set', name, '--qlp', `node ${cli}`, '--work', work], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { product?: { ok?: boolean; ranks: Ranks }; baseline?: { ranks: Ranks } };
    if (run.status !== 0 || !summary.product?.ok || !summary.baseline) throw new Error(`the search evaluation failed on ${name} (exit ${run.status})`);
    Object.assign(product, summary.product.ranks);
    Object.assign(baseline, summary.baseline.ranks);
  }
  const kinds = new Map(set.queries.map((q) => [q.id, q.kind as Kind]));
  const groups = { descriptive: 'descriptive', keyword: 'keyword', overall: undefined } as const;
  const side = (ranks: Ranks) => Object.fromEntries(Object.entries(groups).map(([g, k]) => [g, pool(ranks, kinds, k)])) as Record<keyof typeof groups, Pooled>;
  return { packages: Object.keys(set.corpora!), product: side(product), baseline: side(baseline), ranks: { product, baseline } };
}
