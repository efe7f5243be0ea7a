// The learned search model's tables (`npm run bench:search-model`, docs/search-model.md): the model
// and its embedding rate, then MRR@10 / hit@10 per ranking on the held-out packages and on the
// public express set, then the "no good match" score data.
import { block, caption, notMeasured, table, thousands } from './format';
import type { DocTable } from './types';

type Summary = Record<string, Record<string, { n: number; mrr10: number; hit10: number }>>;
interface Quantiles {
  n: number;
  min: number;
  p10: number;
  p50: number;
  p90: number;
  max: number;
}
interface ModelFigures {
  model: {
    dimensions: number;
    vocabulary: number;
    bytes: Record<string, number>;
    training: {
      pairs: number;
      namePairs?: number;
      developmentPairs: number;
      seconds: number;
      bestEpoch: number;
      epochs: number;
      heldoutDocPairs?: { pairs: number; untrained: { mrr10: number; hit10: number }; trained: { mrr10: number; hit10: number } };
    };
  };
  embedding: { chunks: number; chunksPerSecond: number; firstEmbedLoadMs: number; target: number };
  evaluation: {
    heldout: {
      summary: Summary;
      cosines: { offTopicBestCosine: Quantiles; onTopicTargetCosine: Quantiles; onTopicBestCosine: Quantiles };
      noMatch: NoMatch;
      rankWeights: Record<string, FittedWeights>;
    };
    public?: { summary: Summary; emptied: Emptied };
    publicScript?: { product?: Record<string, ScriptMetrics>; baseline?: Record<string, ScriptMetrics>; skipped?: string };
  };
}

interface Emptied {
  offTopic: number;
  onTopic: number;
  answered: number;
  offTopicEmpty: { hash: number; learned: number };
  onTopicEmpty: { hash: number; learned: number };
  answeredEmpty: { learned: number };
}

interface NoMatch extends Emptied {
  unknownQueryBelow: number;
  learned: {
    cosineBelow: number;
    leaveOnePackageOut: { offTopicEmptied: number; answeredEmptied: number; offTopic: number; answered: number };
  };
}

interface FittedWeights {
  weights: Record<'bm25' | 'vector' | 'coverage' | 'symbol', number>;
  mrr10: number;
  defaultsMrr10: number;
  leaveOnePackageOutMrr10: number;
  queries: number;
}

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** Each embedder's rerank weights as fitted, and what they are worth on a package left out of the fit. */
function weightsTable(fits: Record<string, FittedWeights>): string {
  const rows = Object.entries(fits).map(([embedder, f]) => [
    embedder,
    `${f.weights.bm25} / ${f.weights.vector} / ${f.weights.coverage} / ${f.weights.symbol}`,
    f.defaultsMrr10.toFixed(3),
    f.mrr10.toFixed(3),
    f.leaveOnePackageOutMrr10.toFixed(3),
  ]);
  return table(
    ['embedder', 'weights: bm25 / vector / coverage / symbol', 'MRR@10, default weights', 'fitted (in sample)', 'fitted without the package ranked'],
    rows,
  );
}

/** What the shipped search's "no good match" cuts did, per embedder. */
function noMatchTable(fit: NoMatch, pub?: Emptied): string {
  const rows = [
    [`off-topic queries with no results (held-out, n=${fit.offTopic})`, percent(fit.offTopicEmpty.hash), percent(fit.offTopicEmpty.learned)],
    [`on-topic queries with no results (held-out, n=${fit.onTopic})`, percent(fit.onTopicEmpty.hash), percent(fit.onTopicEmpty.learned)],
    [`… of them answered in the first 10 without the cut (n=${fit.answered})`, '', percent(fit.answeredEmpty.learned)],
  ];
  if (pub) {
    rows.push([`on-topic queries with no results (public set, n=${pub.onTopic})`, percent(pub.onTopicEmpty.hash), percent(pub.onTopicEmpty.learned)]);
    rows.push([`… of them answered in the first 10 without the cut (n=${pub.answered})`, '', percent(pub.answeredEmpty.learned)]);
  }
  const lopo = fit.learned.leaveOnePackageOut;
  return [
    `Cuts fitted on the held-out packages: a query has no good match when the words the workspace has carry less than **${fit.unknownQueryBelow}** of its weight (every embedder), ` +
      `or, with the learned embedder, when the best cosine is below **${fit.learned.cosineBelow}**; ` +
      `with each package judged by the cuts fitted on the others, the learned embedder's emptied ${lopo.offTopicEmptied} of ${lopo.offTopic} off-topic queries and ${lopo.answeredEmptied} of ${lopo.answered} answered ones.`,
    table(['shipped search', 'hash', 'learned'], rows),
  ].join('\n\n');
}

interface ScriptMetrics {
  n: number;
  'hit@10': number;
  'mrr@10': number;
}

const command = 'npm run bench:search-model';

/** The public evaluation's own script (`qlp search` with QLP_EMBEDDER=learned) and its baseline. */
function scriptTable(run: NonNullable<ModelFigures['evaluation']['publicScript']>): string {
  if (!run.product) return `_The public evaluation's script did not run: ${run.skipped ?? 'no figures'}._`;
  const cell = (m: Record<string, ScriptMetrics> | undefined, g: string) => (m?.[g] ? `${m[g]['mrr@10'].toFixed(3)} / ${m[g]['hit@10'].toFixed(3)}` : '');
  return table(
    ['ranking', 'descriptive', 'keyword', 'overall'],
    [
      ['`qlp search` (shipped rerank), learned embedder', cell(run.product, 'descriptive'), cell(run.product, 'keyword'), cell(run.product, 'overall')],
      [
        "the script's own baseline (BM25 over 40-line windows)",
        cell(run.baseline, 'descriptive'),
        cell(run.baseline, 'keyword'),
        cell(run.baseline, 'overall'),
      ],
    ],
  );
}

function quality(summary: Summary): string {
  const cell = (m: string, g: string) => (summary[m][g] ? `${summary[m][g].mrr10.toFixed(3)} / ${summary[m][g].hit10.toFixed(3)}` : '');
  const n = (g: string) => Object.values(summary)[0]?.[g]?.n ?? 0;
  return table(
    ['ranking', `descriptive (n=${n('descriptive')})`, `keyword (n=${n('keyword')})`, `overall (n=${n('overall')})`],
    Object.keys(summary).map((m) => [m, cell(m, 'descriptive'), cell(m, 'keyword'), cell(m, 'overall')]),
  );
}

export const searchModel: DocTable = {
  id: 'search-model',
  doc: 'docs/search-model.md',
  render(read) {
    const results = read<ModelFigures>('search-model');
    const head = caption([['search-model', command, results]]);
    if (!results) return block(head, table(['What', 'Measured'], [['Model', notMeasured(command)]]));
    const { model, embedding, evaluation } = results.figures;
    const bytes = Object.values(model.bytes).reduce((a, b) => a + b, 0);
    const facts = table(
      ['What', 'Measured'],
      [
        [
          'Training pairs: description / name (development pairs)',
          `${thousands(model.training.pairs)} / ${thousands(model.training.namePairs ?? 0)} (${thousands(model.training.developmentPairs)})`,
        ],
        ['Vocabulary × dimensions', `${thousands(model.vocabulary)} × ${model.dimensions}`],
        ['Files (weights.bin + vocab.txt + model.json)', `${(bytes / 2 ** 20).toFixed(1)} MiB`],
        ['Training, one thread', `${thousands(model.training.seconds)} s (best epoch ${model.training.bestEpoch} of ${model.training.epochs})`],
        ...(model.training.heldoutDocPairs
          ? [
              [
                "Held-out packages' own doc comments → their code, MRR@10 / hit@10",
                `${model.training.heldoutDocPairs.trained.mrr10.toFixed(3)} / ${model.training.heldoutDocPairs.trained.hit10.toFixed(3)} (untrained table: ${model.training.heldoutDocPairs.untrained.mrr10.toFixed(3)} / ${model.training.heldoutDocPairs.untrained.hit10.toFixed(3)}; ${thousands(model.training.heldoutDocPairs.pairs)} pairs)`,
              ],
            ]
          : []),
        [
          'Embedding rate, one core',
          `**${thousands(embedding.chunksPerSecond)} chunks/s** (target ≥ ${thousands(embedding.target)}; ${thousands(embedding.chunks)} chunks; table read in ${thousands(embedding.firstEmbedLoadMs)} ms)`,
        ],
      ],
    );
    const c = evaluation.heldout.cosines;
    const q = (x: Quantiles) => `${x.min.toFixed(3)} / ${x.p10.toFixed(3)} / ${x.p50.toFixed(3)} / ${x.p90.toFixed(3)} / ${x.max.toFixed(3)} (n=${x.n})`;
    const cosineRows = [
      ['off-topic queries: best chunk', q(c.offTopicBestCosine)],
      ['on-topic queries: best chunk', q(c.onTopicBestCosine)],
      ['on-topic queries: the correct chunk', q(c.onTopicTargetCosine)],
    ];
    const parts = [
      facts,
      '**Held-out packages** (MRR@10 / hit@10):',
      quality(evaluation.heldout.summary),
      ...(evaluation.public ? ['**Public set, express 4.21.2** (MRR@10 / hit@10; nothing fitted on it):', quality(evaluation.public.summary)] : []),
      ...(evaluation.publicScript
        ? ['**Public set through its own script** (`eval-search.mjs --set public`, MRR@10 / hit@10):', scriptTable(evaluation.publicScript)]
        : []),
      '**Learned cosine, min / p10 / median / p90 / max** (held-out packages):',
      table(['queries', 'cosine'], cosineRows),
      '**No good match**:',
      noMatchTable(evaluation.heldout.noMatch, evaluation.public?.emptied),
      `**Rerank weights fitted per embedder** on the held-out packages' on-topic queries (n=${Object.values(evaluation.heldout.rankWeights)[0]?.queries}; MRR@10; the last column ranks each package with the weights fitted on the other four):`,
      weightsTable(evaluation.heldout.rankWeights),
    ];
    return block(head, parts.join('\n\n'));
  },
};
