// Checks a capsule version's receipts against its files: the tested tree's digest, each tested
// file against the version's file of the same path, the log blob, and that the counts agree with
// the tests listed. Optionally runs the tests again in the sandbox and compares.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CapsuleManifest, SandboxReceipt } from '../../../protocol/capsule';
import type { CapsuleRef } from '../../../protocol/capsuleApi';
import type { CapsuleService } from '../capsule/service';
import { runProjectTests, type RunnerOptions } from '../sandbox/runTests';
import { treeHash } from '../sandbox/stage';
import { caseName } from './testEvidence';

export interface ReceiptVerdict {
  status: SandboxReceipt['status'];
  problems: string[];
  /** The second run, when asked for. */
  rerun?: { status: string; tests: { passed: number; failed: number; skipped: number } | null; matches: boolean; why?: string };
}

export interface CapsuleVerification {
  id: string;
  version: number;
  intact: boolean;
  receipts: ReceiptVerdict[];
}

async function checkReceipt(service: CapsuleService, manifest: CapsuleManifest, receipt: SandboxReceipt): Promise<string[]> {
  const problems: string[] = [];
  if (!receipt.files || !receipt.inputHash) return ['the receipt holds no file digests (it predates them), so nothing ties it to these files'];
  if (treeHash(receipt.files) !== receipt.inputHash) problems.push("the receipt's file list does not give its input hash: it was edited");
  const files = new Map(manifest.files.map((f) => [f.path, f]));
  for (const tested of receipt.files) {
    if (tested.kind === 'link') continue;
    const file = files.get(tested.path);
    if (!file) problems.push(`${tested.path} was tested but is not in this version`);
    else if (file.sha256 !== tested.sha256) problems.push(`${tested.path} differs from the file that was tested`);
  }
  if (!receipt.log) problems.push('the receipt has no log');
  else {
    const broken = await service.store.blobs.verify(receipt.log.sha256, `the log of ${manifest.id}@${manifest.version}`);
    if (broken) problems.push(broken);
  }
  if (receipt.cases && receipt.tests) {
    const passed = receipt.cases.filter((c) => c.status === 'passed').length;
    const failed = receipt.cases.filter((c) => c.status === 'failed' || c.status === 'error').length;
    if (receipt.cases.length !== receipt.tests.collected || passed !== receipt.tests.passed || failed !== receipt.tests.failed)
      problems.push('the test counts do not match the tests listed');
  }
  if (receipt.status === 'passed' && receipt.tests && receipt.tests.failed > 0) problems.push('a passing receipt lists failed tests');
  return problems;
}

/** Writes a version's files into a new folder, each checked against its hash. */
async function materialize(service: CapsuleService, manifest: CapsuleManifest): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'qlp-verify-'));
  for (const file of manifest.files) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await service.store.blobs.read(file.sha256, `${file.path} in ${manifest.id}@${manifest.version}`));
    await chmod(target, file.mode);
  }
  return dir;
}

const caseKey = (c: { file?: string | null; classname?: string; name: string; status: string }) => `${caseName(c)}=${c.status}`;

async function rerun(
  service: CapsuleService,
  manifest: CapsuleManifest,
  receipt: SandboxReceipt,
  runner: RunnerOptions,
  signal: AbortSignal,
): Promise<NonNullable<ReceiptVerdict['rerun']>> {
  const dir = await materialize(service, manifest);
  try {
    const run = await runProjectTests(dir, runner, { signal });
    const before = (receipt.cases ?? []).map(caseKey).sort().join('\n');
    const after = (run.cases ?? [])
      .map((c) => caseKey({ ...c, file: c.file ?? c.classname }))
      .sort()
      .join('\n');
    const why =
      run.status !== receipt.status
        ? `the tests ${run.status} now; the receipt says ${receipt.status}`
        : receipt.cases && before !== after
          ? "the tests and their results differ from the receipt's"
          : undefined;
    return { status: run.status, tests: run.tests, matches: !why, ...(why ? { why } : {}) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function verifyCapsule(
  service: CapsuleService,
  ref: CapsuleRef,
  options: { rerun?: { runner: RunnerOptions; signal: AbortSignal } } = {},
): Promise<CapsuleVerification> {
  const manifest = await service.manifest(ref);
  const receipts: ReceiptVerdict[] = [];
  for (const receipt of manifest.receipts) {
    const verdict: ReceiptVerdict = { status: receipt.status, problems: await checkReceipt(service, manifest, receipt) };
    if (options.rerun) {
      verdict.rerun = await rerun(service, manifest, receipt, options.rerun.runner, options.rerun.signal);
      if (!verdict.rerun.matches) verdict.problems.push(verdict.rerun.why!);
    }
    receipts.push(verdict);
  }
  const intact = receipts.length > 0 && receipts.every((r) => !r.problems.length);
  return { id: manifest.id, version: manifest.version, intact, receipts };
}
