// The capsule's receipt of a generation's last test run: the digest of every file tested, the
// command, sandbox and image, each test by name with its status, the mutation score, the frozen
// tests' digest and amendments, and the run's log stored as a blob beside it.
import type { SandboxReceipt as CapsuleReceipt } from '../../../protocol/capsule';
import type { MutationSummary } from '../../../protocol/generate';
import type { BlobStore } from '../capsule/blobStore';
import { assertionsIn, contractDigest, type TestContract } from './testContract';
import type { Verification } from './verify';

/** The text kept as the receipt's log: what ran and everything it printed (secrets already scrubbed). */
export function receiptLog(v: Verification, mutation: MutationSummary | null): string {
  const run = v.testRun!;
  return [
    `$ ${run.command}`,
    `status ${run.status}, exit ${run.exitCode ?? 'none'}, ${run.durationMs} ms in the ${run.sandbox} sandbox`,
    '--- stdout ---',
    run.stdout,
    '--- stderr ---',
    run.stderr,
    ...(mutation
      ? [
          '--- mutation check ---',
          `score ${mutation.score.toFixed(3)} (${mutation.killed} killed, ${mutation.survived} survived, ${mutation.notRun} not run of ${mutation.mutants}) in ${mutation.durationMs} ms`,
          ...mutation.survivors.map((s) => `survived: ${s}`),
        ]
      : []),
  ].join('\n');
}

export async function receiptOf(
  v: Verification,
  extras: { mutation: MutationSummary | null; contract: TestContract | undefined; blobs: BlobStore },
): Promise<CapsuleReceipt> {
  const run = v.testRun!;
  const { receipt } = run;
  const log = await extras.blobs.putBuffer(Buffer.from(receiptLog(v, extras.mutation)));
  const counts = run.tests;
  const contract = extras.contract;
  const frozen = contract ? [...contract.tests.values()].flatMap((f) => f.tests) : [];
  return {
    kind: 'sandbox',
    sandbox: run.sandbox,
    command: run.command,
    status: run.status,
    exitCode: run.exitCode,
    startedAt: receipt.startedAt,
    durationMs: run.durationMs,
    inputHash: receipt.inputHash,
    files: receipt.files.map(({ path, sha256, size, kind }) => ({ path, sha256, size, kind })),
    image: receipt.environment.imageId ? `${receipt.environment.image}@${receipt.environment.imageId}` : receipt.environment.image,
    ...(counts ? { tests: { collected: counts.collected, passed: counts.passed, failed: counts.failed, skipped: counts.skipped } } : {}),
    ...(run.cases
      ? { cases: run.cases.map((c) => ({ ...(c.file ? { file: c.file } : c.classname ? { file: c.classname } : {}), name: c.name, status: c.status })) }
      : {}),
    ...(extras.mutation
      ? {
          mutation: {
            score: extras.mutation.score,
            mutants: extras.mutation.mutants,
            killed: extras.mutation.killed,
            survived: extras.mutation.survived,
            notRun: extras.mutation.notRun,
            minScore: extras.mutation.minScore,
          },
        }
      : {}),
    ...(contract
      ? {
          contract: {
            digest: contractDigest(contract),
            tests: frozen.length,
            assertions: assertionsIn(frozen),
            amendments: contract.amendments.map(({ path, reason, round }) => ({ path, reason, round })),
          },
        }
      : {}),
    log: { sha256: log.sha256, size: log.size },
  };
}
