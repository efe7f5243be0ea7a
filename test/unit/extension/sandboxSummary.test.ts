// How a sandboxed run reads in the editor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestRunResult } from '../../../protocol/sandbox';
import { resultBlock, resultLine } from '../../../extension/src/sandboxSummary';

const output = { bytes: 120, sha256: 'ab'.repeat(32), cutBytes: 0 };
const counts = { passed: 12, failed: 1, skipped: 2, collected: 15, errors: 0, xfailed: 0, xpassed: 0, deselected: 0, source: 'junit' as const };
const result: TestRunResult = {
  status: 'failed',
  exitCode: 1,
  durationMs: 1840,
  sandbox: 'docker',
  command: 'npm test',
  timedOut: false,
  oomKilled: false,
  tests: counts,
  cases: null,
  stdout: '',
  stderr: '',
  coverage: { tool: 'c8', linesPct: 87.5 },
  receipt: {
    receiptVersion: 1,
    inputHash: 'cd'.repeat(32),
    files: [{ path: 'a.js', sha256: 'ef'.repeat(32), size: 3, kind: 'file' }],
    stack: 'node',
    sandbox: 'docker',
    environment: { image: 'node:20', imageId: 'sha256:00', runtime: 'docker 28.2.2' },
    limits: { cpus: 1, memoryMb: 1024, pids: 256, timeoutSeconds: 120, diskMb: 512, outputBytes: 1048576 },
    dependencies: null,
    phases: [
      {
        phase: 'test',
        command: 'npm test',
        network: false,
        exitCode: 1,
        timedOut: false,
        oomKilled: false,
        durationMs: 1700,
        stdout: { ...output, cutBytes: 20 },
        stderr: output,
      },
    ],
    status: 'failed',
    tests: counts,
    coverage: { tool: 'c8', linesPct: 87.5 },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1840,
    qlpVersion: '0.1.0',
  },
};

describe('sandbox run summary', () => {
  it('says the outcome, the counts, the sandbox and the time in one line', () => {
    assert.equal(resultLine(result), 'Tests failed: 12 passed, 1 failed, 2 skipped in the docker sandbox (1.8 s).');
    assert.equal(
      resultLine({ ...result, status: 'timeout', tests: null, error: 'The tests did not finish within 5 s and were stopped.' }),
      'Tests timed out: no test counts reported in the docker sandbox (1.8 s). The tests did not finish within 5 s and were stopped.',
    );
  });

  it("ends the output with the command, coverage, environment and the receipt's hashes", () => {
    const block = resultBlock(result);
    assert.match(block, /Command: npm test \(exit 1\)/);
    assert.match(block, /Coverage \(c8\): 87\.5% of lines/);
    assert.match(block, /Environment: node:20 on docker 28\.2\.2/);
    assert.match(block, new RegExp(`Inputs: 1 file, sha256 ${'cd'.repeat(32)}`));
    assert.match(block, /test: stdout sha256 abababababababab… \(120 bytes, 20 cut\), 1700 ms/);
  });
});
