// The capsule manifest: what one version of a capsule holds. It is stored with every version
// and travels as `capsule.json` inside every export; importers check it against the archive.
// The schema is versioned (`schemaVersion`); readers refuse versions they do not know.
// Named imports: `import { z }` would bundle all of zod (its locales too), about 370 KB more.
import { array, enum as oneOf, literal, number, object, record, string, type z } from 'zod';
import { capsuleIdPattern, isSafeRelativePath } from './capsuleNames';

export { capsuleIdPattern, capsuleTagPattern, isSafeRelativePath } from './capsuleNames';

export const capsuleSchemaVersion = 1;

const sha256 = string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase sha256 hex digest');
const count = number().int().nonnegative();
const money = number().nonnegative();
const timestamp = string().datetime({ offset: true });

export const capsuleFileSchema = object({
  path: string().refine(isSafeRelativePath, 'must be a relative path inside the capsule'),
  sha256,
  size: count,
  /** Permission bits only (e.g. 0o644 = 420, 0o755 = 493). */
  mode: number().int().min(0).max(0o777),
});

export const tierSchema = oneOf(['T0', 'T1', 'T2', 'T3']);

export const modelUseSchema = object({
  provider: string().min(1),
  model: string().min(1),
  tier: tierSchema,
  calls: count,
  inputTokens: count,
  outputTokens: count,
  costUsd: money,
});

export const usageSchema = object({ inputTokens: count, outputTokens: count, costUsd: money });

export const validationStageSchema = object({
  stage: oneOf(['syntax', 'lint', 'types', 'security', 'tests']),
  status: oneOf(['passed', 'failed', 'skipped']),
  durationMs: count,
  reason: string().optional(),
});

export const validationReportSchema = object({
  score: number().min(0).max(100),
  stages: array(validationStageSchema),
  findings: object({ error: count, warning: count, info: count }),
});

export const sandboxReceiptSchema = object({
  kind: literal('sandbox'),
  sandbox: oneOf(['docker', 'bwrap']),
  command: string(),
  status: oneOf(['passed', 'failed', 'timeout', 'error']),
  exitCode: number().int().nullable(),
  startedAt: timestamp,
  durationMs: count,
  // The evidence behind the claim (absent in receipts written before it was recorded).
  /** sha256 over the tested tree's file list (the sandbox's input hash). */
  inputHash: sha256.optional(),
  /** Every file of the tree tested, with its digest. */
  files: array(
    object({
      path: string().refine(isSafeRelativePath, 'must be a relative path inside the capsule'),
      sha256,
      size: count,
      kind: oneOf(['file', 'exec', 'link']),
    }),
  )
    .max(100_000)
    .optional(),
  image: string().max(500).optional(),
  tests: object({ collected: count, passed: count, failed: count, skipped: count }).optional(),
  /** Each test the runner reported, from its machine-readable results. */
  cases: array(object({ file: string().max(1000).optional(), name: string().max(1000), status: string().max(20) }))
    .max(20_000)
    .optional(),
  mutation: object({
    score: number().min(0).max(1),
    mutants: count,
    killed: count,
    survived: count,
    notRun: count,
    minScore: number().min(0).max(1),
  }).optional(),
  /** The frozen tests: their digest, size, and the amendments made with a reason. */
  contract: object({
    digest: sha256,
    tests: count,
    assertions: count,
    amendments: array(object({ path: string().max(1000), reason: string().max(1000), round: count })).max(1000),
  }).optional(),
  /** The run's output (and the mutation check's), as a blob. */
  log: object({ sha256, size: count }).optional(),
});

export const capsuleManifestSchema = object({
  schemaVersion: literal(capsuleSchemaVersion),
  id: string().regex(capsuleIdPattern, 'must be lowercase letters, digits and dashes'),
  name: string().min(1).max(200),
  version: number().int().positive(),
  parentVersion: number().int().positive().nullable(),
  createdAt: timestamp,
  /** `snapshot`: a folder as it was; `generated`: the result of a generation run. */
  kind: oneOf(['snapshot', 'generated']),
  requirements: string().nullable(),
  stack: string().nullable(),
  /** sha256 over the sorted file list (see `filesDigest`): equal digests, equal contents. */
  digest: sha256,
  files: array(capsuleFileSchema),
  /** Files this copy leaves out on purpose (an export without likely secrets). */
  omitted: array(object({ path: string().refine(isSafeRelativePath), reason: literal('secret') })).optional(),
  models: array(modelUseSchema),
  usage: usageSchema.nullable(),
  validation: validationReportSchema.nullable(),
  receipts: array(sandboxReceiptSchema),
  tools: record(string(), string()),
  /** A generation's model turns (prompts, answers, models, tokens, cost, timings), as a JSON blob. */
  transcript: object({ sha256, size: count, turns: count }).optional(),
}).superRefine((manifest, ctx) => {
  // Sorted with '/' as the lowest character (\0; safe paths hold no control character), a path
  // listed twice sits next to itself and a file listed as a folder too sits right before a path
  // inside it: one sort instead of a look-up per folder level (quadratic in a path's depth).
  const keys = manifest.files.map((f) => f.path.split('/').join('\0')).sort();
  for (let i = 1; i < keys.length; i++) {
    const [before, path] = [keys[i - 1], keys[i]];
    const clash = path === before ? 'twice' : path.startsWith(`${before}\0`) ? 'as a file and as a folder' : undefined;
    if (clash) ctx.addIssue({ code: 'custom', message: `lists ${before.split('\0').join('/')} ${clash}`, path: ['files'] });
  }
  if (manifest.parentVersion !== null && manifest.parentVersion >= manifest.version) {
    ctx.addIssue({ code: 'custom', message: 'parentVersion must be older than version', path: ['parentVersion'] });
  }
});

export type CapsuleFile = z.infer<typeof capsuleFileSchema>;
export type CapsuleManifest = z.infer<typeof capsuleManifestSchema>;
export type ValidationReport = z.infer<typeof validationReportSchema>;
export type SandboxReceipt = z.infer<typeof sandboxReceiptSchema>;

/** The canonical line of one file in the digest: path, mode (octal), sha256. */
export function filesDigestInput(files: readonly CapsuleFile[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.path}\0${f.mode.toString(8)}\0${f.sha256}\n`)
    .join('');
}

/** Blobs a version keeps beside its files (the transcript, the receipts' logs), with what they are. */
export function attachedBlobs(manifest: CapsuleManifest): Array<{ sha256: string; size: number; label: string }> {
  const blobs = manifest.transcript ? [{ sha256: manifest.transcript.sha256, size: manifest.transcript.size, label: 'the transcript' }] : [];
  manifest.receipts.forEach((r, i) => r.log && blobs.push({ sha256: r.log.sha256, size: r.log.size, label: `the log of test receipt ${i + 1}` }));
  return blobs;
}

/** `passed` when no stage failed and one passed, `failed` when one failed, else null (not validated). */
export function validationStatus(report: ValidationReport | null): 'passed' | 'failed' | null {
  if (!report) return null;
  if (report.stages.some((s) => s.status === 'failed')) return 'failed';
  return report.stages.some((s) => s.status === 'passed') ? 'passed' : null;
}
