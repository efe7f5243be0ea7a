// .ci/run as CI runs it, up to its first real step: the environment it gives the test run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths';

/** An executable shell script named `name` in `dir`. */
function stub(dir: string, name: string, body: string): void {
  writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
}

describe('.ci/run', () => {
  it('exports CI=true, so tests that need a sandbox or a database fail instead of skipping', () => {
    const bin = mkdtempSync(join(tmpdir(), 'qlp-ci-'));
    // Every system package is there; npm reports the CI variable it was given and stops the run
    // before anything is installed or started.
    stub(bin, 'dpkg', 'exit 0');
    stub(bin, 'npm', 'echo "npm saw CI=${CI:-unset}"; exit 1');
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: bin };
    const run = spawnSync(join(repoRoot, '.ci', 'run'), [], { env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /ci: npm ci failed; its output:/);
    assert.match(run.stderr, /npm saw CI=true/);
  });
});
