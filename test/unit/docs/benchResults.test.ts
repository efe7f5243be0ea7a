// Bench results are committed: they name this machine's folders only as <repo>, <repo>/.. and <tmp>.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { resultsDir, withoutMachinePaths } from '../../../bench/results';

const repoRoot = dirname(dirname(resultsDir));

describe('bench results', () => {
  it('write the repository, its parent and the temporary folder as names', () => {
    const figures = { command: `node ${repoRoot}/dist/cli.js`, cases: [`${dirname(repoRoot)}/shared/eval`], work: { path: join(tmpdir(), 'qlp-eval') }, n: 3 };
    assert.deepEqual(withoutMachinePaths(figures), {
      command: 'node <repo>/dist/cli.js',
      // A repository cloned straight into the temporary folder has that folder as its parent.
      cases: [`${dirname(repoRoot) === tmpdir() ? '<tmp>' : '<repo>/..'}/shared/eval`],
      work: { path: '<tmp>/qlp-eval' },
      n: 3,
    });
  });

  it('hold no absolute path of the machine that measured them', () => {
    for (const name of readdirSync(resultsDir).filter((n) => n.endsWith('.json'))) {
      const text = readFileSync(join(resultsDir, name), 'utf8');
      for (const folder of [repoRoot, `${tmpdir()}/`]) assert.ok(!text.includes(folder), `${name} names ${folder}`);
    }
  });
});
