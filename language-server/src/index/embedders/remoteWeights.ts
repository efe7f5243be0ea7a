// Rerank weights fitted for remote embedding models, by embedder id
// (`npm run search:fit -- <id>`: scripts/search-model/fitEmbedder.ts writes them to
// bench/results/rank-weights-<id>.json). None yet: no remote model was reachable where QLP is built,
// so remote embedders rank with the defaults (index/rank.ts `weights`) until a fit is added here.
import type { RankWeights } from '../rank';

export const remoteRankWeights: Readonly<Record<string, RankWeights>> = {};
