// Evaluates the learned search model against the full-text side and the default embedder on
// code it never saw: the held-out packages (heldout-queries.json) and the public evaluation's
// corpus (express, queries-public.json in the shared evaluation folder). Each corpus is indexed
// by the real IndexService, once with the `learned` embedder and once with `hash`; the rankings
// are then read from the same tables: BM25 alone, each embedder's cosine alone, fixed blends of
// learned cosine and BM25, and the shipped reranker (IndexService.search) with either embedder.
// Usage: node --import tsx scripts/search-model/evalSearch.ts <work> [public-queries.json]
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbedder } from '../../language-server/src/index/embedders/createEmbedder';
import { HashEmbedder } from '../../language-server/src/index/embedders/hashEmbedder';
import { LearnedEmbedder } from '../../language-server/src/index/embedders/learnedEmbedder';
import { IndexService } from '../../language-server/src/index/service';
import { ChunkStore, tableName, type StoredChunk } from '../../language-server/src/index/store';
import { terms } from '../../language-server/src/index/tokens';
import { fetchDebian, fetchNpm, sourceDir } from './fetchSources';
import { candidateRows, fitPackages, overlaps, rankWith, type FeatureRow, type Target } from './fitRanking';
import { knownShare, type RankWeights } from '../../language-server/src/index/rank';

interface Query {
  id: string;
  corpus?: string;
  query: string;
  kind: 'descriptive' | 'keyword' | 'offtopic';
  targets: Target[];
}
interface Source {
  type: 'npm' | 'debian';
  spec?: string;
  package?: string;
  version?: string;
  copy: Array<{ from: string; to: string }>;
}
export interface QuerySet {
  name: string;
  corpus?: { sources: Source[] };
  corpora?: Record<string, { sources: Source[] }>;
  queries: Query[];
}

/** Weights of learned cosine in the fixed blends `w · cos/max cos + (1 − w) · bm25/max bm25`. */
export const blendWeights = [0.3, 0.5, 0.7];
const depth = 10;

type Ranked = Array<{ chunk: Pick<StoredChunk, 'path' | 'startLine' | 'endLine'>; score: number }>;

export function prepareCorpus(work: string, name: string, sources: Source[]): string {
  const root = join(work, 'corpora', name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const s of sources) {
    let dir: string;
    if (s.type === 'npm') {
      const at = s.spec!.lastIndexOf('@');
      const p = { name: s.spec!.slice(0, at), version: s.spec!.slice(at + 1) };
      fetchNpm(work, p);
      dir = sourceDir(work, 'npm', p);
    } else {
      const p = { name: s.package!, version: s.version! };
      fetchDebian(work, p);
      dir = sourceDir(work, 'debian', p);
    }
    for (const c of s.copy) cpSync(join(dir, c.from), join(root, c.to), { recursive: true });
  }
  return root;
}

/** 1-based rank of the first result that hits a target, within the first `depth`; 0 for none. */
function rankOf(results: Ranked, targets: Target[]): number {
  const i = results.slice(0, depth).findIndex((r) => targets.some((t) => overlaps(r.chunk, t)));
  return i + 1;
}

function byScore(scores: Map<string, { chunk: Ranked[number]['chunk']; score: number }>): Ranked {
  return [...scores.values()].sort((a, b) => b.score - a.score);
}

/** Every ranking of one query on one corpus. */
async function rankings(
  query: string,
  stores: { learned: ChunkStore; hash: ChunkStore },
  services: { learned: IndexService; hash: IndexService },
  embed: { learned: (q: string) => Promise<Float32Array>; hash: (q: string) => Promise<Float32Array> },
  n: number,
): Promise<Record<string, Ranked>> {
  const qTerms = terms(query).join(' ');
  const bm25 = qTerms ? await stores.learned.textSearch(qTerms, n) : [];
  const learned = await stores.learned.vectorSearch(await embed.learned(query), n);
  const hash = await stores.hash.vectorSearch(await embed.hash(query), n);
  const out: Record<string, Ranked> = { bm25, learned, hash };
  const maxBm25 = Math.max(1e-9, ...bm25.map((h) => h.score));
  const maxCos = Math.max(1e-9, ...learned.map((h) => h.score));
  for (const w of blendWeights) {
    const scores = new Map<string, { chunk: Ranked[number]['chunk']; score: number }>();
    for (const h of learned) scores.set(h.chunk.id, { chunk: h.chunk, score: (w * Math.max(0, h.score)) / maxCos });
    for (const h of bm25) {
      const s = scores.get(h.chunk.id) ?? { chunk: h.chunk, score: 0 };
      s.score += ((1 - w) * h.score) / maxBm25;
      scores.set(h.chunk.id, s);
    }
    out[`learned+bm25 w=${w}`] = byScore(scores);
  }
  const rrf = new Map<string, { chunk: Ranked[number]['chunk']; score: number }>();
  for (const list of [learned, bm25]) {
    list.forEach((h, rank) => {
      const s = rrf.get(h.chunk.id) ?? { chunk: h.chunk, score: 0 };
      s.score += 1 / (60 + rank + 1);
      rrf.set(h.chunk.id, s);
    });
  }
  out['learned+bm25 rrf'] = byScore(rrf);
  out['shipped rerank (hash)'] = (await services.hash.search(query, depth)).map((r) => ({ chunk: r, score: r.score }));
  out['shipped rerank (learned)'] = (await services.learned.search(query, depth)).map((r) => ({ chunk: r, score: r.score }));
  return out;
}

export interface QueryOutcome {
  id: string;
  /** The corpus (package) the query searches. */
  corpus: string;
  kind: Query['kind'];
  ranks: Record<string, number>;
  /** Learned cosine of the best chunk, and of the best chunk that hits a target (on-topic queries). */
  learnedTop: number;
  learnedTarget: number | null;
  /** The share of the query's weight in terms the corpus has (rank.ts `knownShare`). */
  knownShare: number;
  /** Whether the shipped search returned nothing, with either embedder. */
  empty: { hash: boolean; learned: boolean };
  /** The first-stage candidates and their features, per embedder (for fitRanking.ts; not written out). */
  candidates?: { hash: FeatureRow[]; learned: FeatureRow[] };
}

/** Indexes each corpus of the set with both embedders and ranks every query. */
export async function evaluateSet(work: string, set: QuerySet, log: (line: string) => void = () => {}): Promise<QueryOutcome[]> {
  const corpora = set.corpora ?? { [set.name]: set.corpus! };
  const outcomes: QueryOutcome[] = [];
  const learnedEmbedder = await createEmbedder('learned', process.env);
  const hashEmbedder = await createEmbedder('hash', process.env);
  for (const [name, corpus] of Object.entries(corpora)) {
    const root = prepareCorpus(work, name, corpus.sources);
    const indexDir = join(work, 'index', name);
    rmSync(indexDir, { recursive: true, force: true });
    const services = {
      learned: await IndexService.open({ root, indexDir, embedder: 'learned' }),
      hash: await IndexService.open({ root, indexDir, embedder: 'hash' }),
    };
    const learnedRun = await services.learned.update();
    await services.hash.update();
    log(`${set.name}/${name}: ${learnedRun.files} files, ${learnedRun.chunks} chunks`);
    const stores = {
      learned: await ChunkStore.open(indexDir, tableName('learned', learnedEmbedder.dimensions), learnedEmbedder.dimensions),
      hash: await ChunkStore.open(indexDir, tableName('hash', hashEmbedder.dimensions), hashEmbedder.dimensions),
    };
    const embed = {
      learned: async (q: string) => (await learnedEmbedder.embed([q]))[0],
      hash: async (q: string) => (await hashEmbedder.embed([q]))[0],
    };
    const n = learnedRun.chunks;
    for (const q of set.queries.filter((x) => (x.corpus ?? set.name) === name)) {
      const ranked = await rankings(q.query, stores, services, embed, n);
      const ranks = Object.fromEntries(Object.entries(ranked).map(([method, list]) => [method, rankOf(list, q.targets)]));
      const hit = ranked.learned.find((r) => q.targets.some((t) => overlaps(r.chunk, t)));
      outcomes.push({
        id: q.id,
        corpus: name,
        kind: q.kind,
        ranks,
        learnedTop: ranked.learned[0]?.score ?? 0,
        learnedTarget: q.kind === 'offtopic' ? null : (hit?.score ?? 0),
        knownShare: knownShare(terms(q.query), services.learned.termStats()),
        candidates: {
          hash: await candidateRows(services.hash, q.query, q.targets),
          learned: await candidateRows(services.learned, q.query, q.targets),
        },
        empty: { hash: ranked['shipped rerank (hash)'].length === 0, learned: ranked['shipped rerank (learned)'].length === 0 },
      });
    }
    stores.learned.close();
    stores.hash.close();
    await services.learned.close();
    await services.hash.close();
  }
  return outcomes;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** MRR@10 and hit@10 per method, for descriptive, keyword and both together. */
export function summarize(outcomes: QueryOutcome[]): Record<string, Record<string, { n: number; mrr10: number; hit10: number }>> {
  const methods = Object.keys(outcomes.find((o) => o.kind !== 'offtopic')?.ranks ?? {});
  const groups: Record<string, QueryOutcome[]> = {
    descriptive: outcomes.filter((o) => o.kind === 'descriptive'),
    keyword: outcomes.filter((o) => o.kind === 'keyword'),
    overall: outcomes.filter((o) => o.kind !== 'offtopic'),
  };
  const out: Record<string, Record<string, { n: number; mrr10: number; hit10: number }>> = {};
  for (const m of methods) {
    out[m] = {};
    for (const [g, list] of Object.entries(groups)) {
      if (!list.length) continue;
      const mrr = list.reduce((a, o) => a + (o.ranks[m] ? 1 / o.ranks[m] : 0), 0) / list.length;
      const hit = list.filter((o) => o.ranks[m] > 0).length / list.length;
      out[m][g] = { n: list.length, mrr10: round(mrr), hit10: round(hit) };
    }
  }
  return out;
}

function quantiles(xs: number[]): { n: number; min: number; p10: number; p50: number; p90: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => round(s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? 0);
  return { n: s.length, min: at(0), p10: at(0.1), p50: at(0.5), p90: at(0.9), max: round(s[s.length - 1] ?? 0) };
}

/**
 * The learned model's best cosine for off-topic queries against the best cosine for on-topic ones
 * (what a cut on the top result sees), and the cosine of the correct chunk; the cut itself is
 * `fitNoMatch`'s.
 */
export function cosines(outcomes: QueryOutcome[]) {
  const onTopic = outcomes.filter((o) => o.kind !== 'offtopic');
  return {
    offTopicBestCosine: quantiles(outcomes.filter((o) => o.kind === 'offtopic').map((o) => o.learnedTop)),
    onTopicBestCosine: quantiles(onTopic.map((o) => o.learnedTop)),
    onTopicTargetCosine: quantiles(onTopic.map((o) => o.learnedTarget ?? 0)),
  };
}

const floorTo = (x: number, digits: number) => Math.floor(x * 10 ** digits) / 10 ** digits;

/** An on-topic query whose answer the learned ranking lists in its first 10 when nothing cuts it. */
const answered = (o: QueryOutcome, w: RankWeights) => o.kind !== 'offtopic' && rankWith(w, o.candidates!.learned) > 0;

/** The highest cosine cut that keeps every answered query given, with a margin (0.95 ×, rounded down). */
const cutFor = (kept: QueryOutcome[]) => floorTo(0.95 * Math.min(...kept.map((o) => o.learnedTop)), 3);

/** rank.ts `unknownQueryBelow`: 0.9 × the lowest known share of an on-topic query given, rounded down. */
const shareCutFor = (onTopic: QueryOutcome[]) => floorTo(0.9 * Math.min(...onTopic.map((o) => o.knownShare)), 2);

/**
 * The learned embedder's cosine cut (LearnedEmbedder `noMatchBelow`). Only answered queries bound
 * it: an on-topic query whose answer is not in the first 10 anyway loses nothing by getting no
 * results. What it is worth on code it was not fitted to: each package judged by the cuts (cosine,
 * and the known share every embedder applies) fitted on the others (leave one package out).
 */
export function fitLearnedNoMatch(outcomes: QueryOutcome[], w: RankWeights) {
  // Ranking a query's candidates is the costly part: each query is judged answered once.
  const answeredOnes = new Set(outcomes.filter((o) => answered(o, w)));
  let offTopicEmptied = 0;
  let answeredEmptied = 0;
  for (const p of new Set(outcomes.map((o) => o.corpus))) {
    const below = cutFor([...answeredOnes].filter((o) => o.corpus !== p));
    const shareBelow = shareCutFor(outcomes.filter((o) => o.corpus !== p && o.kind !== 'offtopic'));
    for (const o of outcomes.filter((x) => x.corpus === p && (x.learnedTop < below || x.knownShare < shareBelow))) {
      if (o.kind === 'offtopic') offTopicEmptied++;
      else if (answeredOnes.has(o)) answeredEmptied++;
    }
  }
  return {
    cosineBelow: cutFor([...answeredOnes]),
    leaveOnePackageOut: { offTopicEmptied, answeredEmptied, offTopic: outcomes.filter((o) => o.kind === 'offtopic').length, answered: answeredOnes.size },
  };
}

/**
 * The "no good match" cuts: index/rank.ts `unknownQueryBelow` (every embedder; 0.9 × the lowest
 * known share of an on-topic query, rounded down) and the learned embedder's
 * `fitLearnedNoMatch`. Then what the shipped search did: the share of off-topic queries that got no
 * results, of on-topic ones that got none, and of answered ones that got none.
 */
export function fitNoMatch(outcomes: QueryOutcome[], w: RankWeights) {
  return {
    unknownQueryBelow: shareCutFor(outcomes.filter((o) => o.kind !== 'offtopic')),
    learned: fitLearnedNoMatch(outcomes, w),
    ...emptied(outcomes, w),
  };
}

/** The share of off-topic, on-topic and answered queries the shipped search gave no results. */
export function emptied(outcomes: QueryOutcome[], w: RankWeights) {
  const on = outcomes.filter((o) => o.kind !== 'offtopic');
  const off = outcomes.filter((o) => o.kind === 'offtopic');
  const ans = on.filter((o) => answered(o, w));
  const share = (list: QueryOutcome[], f: (o: QueryOutcome) => boolean) => round(list.filter(f).length / Math.max(1, list.length));
  return {
    offTopic: off.length,
    onTopic: on.length,
    answered: ans.length,
    offTopicEmpty: { hash: share(off, (o) => o.empty.hash), learned: share(off, (o) => o.empty.learned) },
    onTopicEmpty: { hash: share(on, (o) => o.empty.hash), learned: share(on, (o) => o.empty.learned) },
    answeredEmpty: { learned: share(ans, (o) => o.empty.learned) },
  };
}

const withoutCandidates = (outcomes: QueryOutcome[]) => outcomes.map(({ candidates: _candidates, ...o }) => o);

export function loadSet(file: string): QuerySet {
  return JSON.parse(readFileSync(file, 'utf8')) as QuerySet;
}

export const heldoutQueries = join(__dirname, 'heldout-queries.json');
export const publicQueries = (shared = join(__dirname, '..', '..', '..', 'shared')) => join(shared, 'eval', 'search', 'queries-public.json');

function table(summary: ReturnType<typeof summarize>): string {
  const lines = ['method | descriptive MRR@10 | hit@10 | keyword MRR@10 | hit@10 | overall MRR@10 | hit@10'];
  for (const [m, g] of Object.entries(summary)) {
    const f = (k: string) => (g[k] ? `${g[k].mrr10.toFixed(3)} | ${g[k].hit10.toFixed(3)}` : '- | -');
    lines.push(`${m} | ${f('descriptive')} | ${f('keyword')} | ${f('overall')}`);
  }
  return lines.join('\n');
}

export async function evaluateAll(work: string, publicFile = publicQueries(), log: (line: string) => void = console.log) {
  const heldout = await evaluateSet(work, loadSet(heldoutQueries), log);
  const onTopic = heldout.filter((o) => o.kind !== 'offtopic');
  const byPackage = (side: 'hash' | 'learned') => {
    const groups = new Map<string, FeatureRow[][]>();
    for (const o of onTopic) groups.set(o.corpus, [...(groups.get(o.corpus) ?? []), o.candidates![side]]);
    return groups;
  };
  const shipped = { hash: new HashEmbedder().rankWeights, learned: LearnedEmbedder.open().rankWeights };
  const rankWeights = { hash: fitPackages(byPackage('hash'), shipped.hash), learned: fitPackages(byPackage('learned'), shipped.learned) };
  log(`rerank weights fitted on the held-out packages: ${JSON.stringify(rankWeights)}`);
  const result: Record<string, unknown> = {
    heldout: {
      summary: summarize(heldout),
      cosines: cosines(heldout),
      noMatch: fitNoMatch(heldout, rankWeights.learned.weights),
      rankWeights,
      queries: withoutCandidates(heldout),
    },
  };
  log(`held-out packages:\n${table(summarize(heldout))}`);
  if (existsSync(publicFile)) {
    const pub = await evaluateSet(work, loadSet(publicFile), log);
    result.public = {
      summary: summarize(pub),
      emptied: emptied(pub, rankWeights.learned.weights),
      queries: withoutCandidates(pub),
    };
    log(`public set (express):\n${table(summarize(pub))}`);
  } else {
    log(`public queries not found at ${publicFile}; only the held-out packages were evaluated`);
  }
  return result;
}

if (require.main === module) {
  const [work, pub] = process.argv.slice(2);
  if (!work) {
    console.error('Usage: evalSearch.ts <work folder> [public-queries.json]');
    process.exit(2);
  }
  evaluateAll(work, pub).then(
    (r) => console.log(JSON.stringify({ noMatch: (r.heldout as { noMatch: unknown }).noMatch })),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
