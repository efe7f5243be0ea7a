// `npm run bench:search-quality` (after `npm run bundle`): the public search evaluation
// (shared/eval/search/eval-search.mjs: express 4.21.2, 25 queries) against the built `qlp`, with
// the evaluation's own baseline beside it. Prints the evaluation's table and writes its summary
// (hit@k, MRR@10 per group, index and query wall clock) to bench/results/search-quality.json. Then
// the search model's held-out packages through the same script (bench/searchQualityHeldout.ts) →
// bench/results/search-quality-heldout.json.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, repoRoot, requireBuilt } from '../test/support/paths';
import { writeResults } from './results';
import { heldoutThroughScript } from './searchQualityHeldout';

const evalScript = process.env.QLP_EVAL_SEARCH || join(repoRoot, '..', 'shared', 'eval', 'search', 'eval-search.mjs');

function main(): void {
  if (!existsSync(evalScript)) throw new Error(`${evalScript} not found (set QLP_EVAL_SEARCH to the evaluation script).`);
  const run = spawnSync(process.execPath, [evalScript, '--set', 'public', '--qlp', `node ${requireBuilt(cliPath)}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = run.stdout.trim().split('\n');
  process.stdout.write(`${lines.slice(0, -1).join('\n')}\n`);
  const summary = JSON.parse(lines.at(-1) ?? '{}') as { product?: { ok?: boolean; error?: string } | null; error?: string };
  if (run.status !== 0 || !summary.product?.ok)
    throw new Error(`the search evaluation failed (exit ${run.status}): ${summary.product?.error ?? summary.error ?? 'no summary'}`);
  console.log(`Written to ${writeResults('search-quality', summary)}`);
  const heldout = heldoutThroughScript(evalScript, requireBuilt(cliPath));
  for (const g of ['descriptive', 'keyword', 'overall'] as const)
    console.log(
      `held-out packages, ${g}: product MRR@10 ${heldout.product[g].mrr10} hit@10 ${heldout.product[g].hit10}; baseline ${heldout.baseline[g].mrr10} / ${heldout.baseline[g].hit10}`,
    );
  console.log(`Written to ${writeResults('search-quality-heldout', heldout)}`);
}

try {
  main();
} catch (err) {
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 1;
}
