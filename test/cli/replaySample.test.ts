// `qlp generate --replay sample`: the recording that ships with QLP replays with no model
// configured and no capsule store, runs the checks and the tests in the sandbox again, and
// reproduces the recorded files; a damaged or missing sample is refused in one sentence.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sampleDir, sampleRecording } from '../../language-server/src/generate/replaySource';
import { repoRoot } from '../support/paths';
import { runCli } from '../support/runCli';
import { sandboxEnv, scratchDir, testStorage } from '../support/sandboxes';

const shipped = join(repoRoot, 'samples', 'adder');

describe('qlp generate --replay sample', () => {
  it('replays the shipped sample with no model: verified, reproduced, nothing spent', async (t) => {
    const sandbox = await sandboxEnv('bwrap', t);
    if (!sandbox) return;
    const workspace = scratchDir('qlp-cli-sample-');
    // No provider key or local model in the environment: a live run would refuse to start.
    const env = { PATH: sandbox.PATH, HOME: workspace, QLP_HOME: testStorage(), QLP_SANDBOX_MODE: 'bwrap' };
    const run = await runCli(['generate', '--replay', 'sample', '--out', 'adder', '--json'], env, workspace);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.status, 'verified');
    assert.equal(result.reproduced, true);
    assert.equal(result.usage.calls, 0);
    assert.equal(result.usage.costUsd, 0);
    assert.deepEqual(result.tests, { passed: 1, failed: 0, skipped: 0 });
    // The tests ran again in the sandbox: the first round failed, the repair made them pass.
    assert.match(run.stderr, /Tests round 0 \(bwrap\): failed/);
    assert.match(run.stderr, /Tests round 1 \(bwrap\): passed/);
    const recorded = JSON.parse(readFileSync(join(shipped, 'capsule.json'), 'utf8'));
    assert.equal(result.files.length, recorded.files.length);
    assert.match(readFileSync(join(workspace, 'adder', 'src', 'index.js'), 'utf8'), /return a \+ b/);
  });

  it('is found from the bundles in dist/ as from the sources', () => {
    assert.equal(sampleDir(join(repoRoot, 'dist')), shipped);
    assert.equal(sampleDir(join(repoRoot, 'language-server', 'src', 'generate')), shipped);
  });

  it('refuses a sample whose transcript does not match its manifest, naming the file', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'qlp-sample-copy-')), 'adder');
    cpSync(shipped, copy, { recursive: true });
    const transcript = join(copy, 'transcript.json');
    writeFileSync(transcript, readFileSync(transcript, 'utf8').replace('return a + b', 'return a * b'));
    await assert.rejects(sampleRecording(copy), { message: `The sample's transcript ${transcript} does not match its manifest; reinstall QLP.` });
  });

  it('says the sample is missing when no samples folder is near', () => {
    const empty = mkdtempSync(join(tmpdir(), 'qlp-no-sample-'));
    assert.throws(() => sampleDir(empty), { message: /^The sample recording is missing: no samples\/adder\/capsule\.json near .+; reinstall QLP\.$/ });
  });
});
