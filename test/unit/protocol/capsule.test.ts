// The capsule manifest schema: what it accepts and what it refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capsuleManifestSchema, filesDigestInput, isSafeRelativePath, validationStatus } from '../../../protocol/capsule';

const file = (path: string, sha = 'a') => ({ path, sha256: sha.repeat(64), size: 1, mode: 0o644 });
const manifest = (overrides: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  id: 'app-3f9a2c',
  name: 'app',
  version: 2,
  parentVersion: 1,
  createdAt: '2025-06-01T12:00:00.000Z',
  kind: 'snapshot',
  requirements: null,
  stack: null,
  digest: 'b'.repeat(64),
  files: [file('src/a.ts'), file('README.md')],
  models: [],
  usage: null,
  validation: null,
  receipts: [],
  tools: { qlp: '0.1.0' },
  ...overrides,
});
const issues = (value: unknown) => {
  const result = capsuleManifestSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('capsule manifest schema', () => {
  it('accepts a snapshot and a generated version with models, cost, validation and receipts', () => {
    assert.deepEqual(issues(manifest()), []);
    const generated = manifest({
      kind: 'generated',
      requirements: 'A user API',
      stack: 'node-express',
      models: [{ provider: 'openai', model: 'gpt-4o-mini', tier: 'T1', calls: 3, inputTokens: 1200, outputTokens: 800, costUsd: 0.0021 }],
      usage: { inputTokens: 1200, outputTokens: 800, costUsd: 0.0021 },
      validation: { score: 91, stages: [{ stage: 'tests', status: 'passed', durationMs: 1800 }], findings: { error: 0, warning: 2, info: 1 } },
      receipts: [
        { kind: 'sandbox', sandbox: 'docker', command: 'npm test', status: 'passed', exitCode: 0, startedAt: '2025-06-01T12:00:00Z', durationMs: 1800 },
      ],
    });
    assert.deepEqual(issues(generated), []);
    assert.equal(validationStatus(capsuleManifestSchema.parse(generated).validation), 'passed');
    assert.equal(validationStatus(null), null);
  });

  it('refuses unsafe paths, duplicates, a path that is a file and a folder, and impossible parents', () => {
    for (const bad of ['../x', '/etc/passwd', 'a/../b', 'a//b', './a', 'a\\b', 'C:/x', 'a/', 'tab\there']) {
      assert.equal(isSafeRelativePath(bad), false, bad);
      assert.notDeepEqual(issues(manifest({ files: [file(bad)] })), [], bad);
    }
    assert.equal(isSafeRelativePath('src/ünï cödé/[x].ts'), true);
    assert.match(issues(manifest({ files: [file('a'), file('a')] }))[0], /lists a twice/);
    assert.match(issues(manifest({ files: [file('lib'), file('lib/x.js')] }))[0], /lists lib as a file and as a folder/);
    assert.match(issues(manifest({ parentVersion: 2 }))[0], /parentVersion must be older than version/);
    assert.match(issues(manifest({ id: '../../etc' }))[0], /^id: /);
    assert.match(issues(manifest({ schemaVersion: 2 }))[0], /^schemaVersion: /);
    assert.match(issues(manifest({ files: [{ ...file('a'), mode: 0o4755 }] }))[0], /^files\.0\.mode: /);
  });

  it('finds clashes in deep paths without a look-up per folder level (1,000 paths of 2,041 levels)', () => {
    const deep = (i: number) => [`p${i}`, ...Array.from({ length: 2040 }, () => 'a')].join('/');
    const files = Array.from({ length: 1000 }, (_, i) => file(deep(i)));
    const started = performance.now();
    assert.deepEqual(issues(manifest({ files })), []);
    const ms = performance.now() - started;
    assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms (quadratic took about 16 s)`);
    const clash = issues(manifest({ files: [file('p1/a'), ...files.slice(0, 3), file(`${deep(2)}/z`)] })).join('\n');
    assert.match(clash, /lists p1\/a as a file and as a folder/);
    assert.ok(clash.includes(`lists ${deep(2)} as a file and as a folder`), clash.slice(0, 200));
    // '!' sorts before '/': a sibling between a file and its folder's contents does not hide the clash.
    assert.match(issues(manifest({ files: [file('x'), file('x!'), file('x/y')] })).join('\n'), /lists x as a file and as a folder/);
  });

  it('digests a file list independently of its order, and sensitively to modes', () => {
    const a = [file('b', '1'), file('a', '2')];
    assert.equal(filesDigestInput(a), filesDigestInput([...a].reverse()));
    assert.notEqual(filesDigestInput(a), filesDigestInput([{ ...a[0], mode: 0o755 }, a[1]]));
  });
});
