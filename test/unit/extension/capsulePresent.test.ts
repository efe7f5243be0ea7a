// How capsules read in the editor: honest about snapshots, precise about secrets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CapsuleVersionSummary } from '../../../protocol/capsuleApi';
import {
  archiveFileName,
  leftOutNote,
  relativeTime,
  secretsWarning,
  versionDescription,
  versionIcon,
  versionLabel,
  versionTooltip,
} from '../../../extension/src/capsules/present';

const now = Date.parse('2025-06-01T12:00:00Z');
const snapshot: CapsuleVersionSummary = {
  version: 3,
  parentVersion: 2,
  createdAt: '2025-06-01T11:55:00Z',
  kind: 'snapshot',
  files: 12,
  bytes: 4096,
  costUsd: null,
  validation: null,
  validationScore: null,
  tags: [],
};
const generated: CapsuleVersionSummary = { ...snapshot, kind: 'generated', costUsd: 0.01234, validation: 'passed', validationScore: 92, tags: ['release'] };

describe('capsule presentation', () => {
  it("says a snapshot was not validated, and shows a generated version's cost and validation", () => {
    assert.equal(versionDescription(snapshot, now), '5 min ago · 12 files · snapshot, not validated');
    assert.deepEqual(versionIcon(snapshot), { id: 'circle-large-outline' });
    assert.equal(versionDescription(generated, now), '5 min ago · 12 files · $0.0123 · validation passed 92');
    assert.deepEqual(versionIcon(generated), { id: 'pass', color: 'testing.iconPassed' });
    assert.deepEqual(versionIcon({ ...generated, validation: 'failed' }), { id: 'error', color: 'testing.iconFailed' });
    assert.equal(versionLabel(generated), 'v3 (release)');
    assert.match(
      versionTooltip({ id: 'a-1', name: 'App', folder: '/w/app', latest: 3, versions: [snapshot] }, snapshot),
      /A snapshot of a folder: not generated, not validated\./,
    );
  });

  it('tells times relative to now', () => {
    assert.equal(relativeTime('2025-06-01T11:59:40Z', now), 'just now');
    assert.equal(relativeTime('2025-06-01T09:00:00Z', now), '3 h ago');
    assert.equal(relativeTime('2025-05-31T11:00:00Z', now), 'yesterday');
    assert.equal(relativeTime('2025-05-20T12:00:00Z', now), '12 days ago');
    assert.equal(relativeTime('2024-01-02T12:00:00Z', now), '2024-01-02');
  });

  it('names archives after the capsule, version and format', () => {
    assert.equal(archiveFileName('My App!', 2, 'zip'), 'my-app-v2.zip');
    assert.equal(archiveFileName('api', 1, 'tgz'), 'api-v1.tar.gz');
    assert.equal(archiveFileName('***', 4, 'tar'), 'capsule-v4.tar');
  });

  it('warns about secrets by file, rule and line, never by value', () => {
    const one = secretsWarning([{ path: '.env', rules: ['@secretlint/secretlint-rule-openai'], lines: [3] }]);
    assert.equal(one.message, '1 file looks like it holds a secret.');
    assert.equal(one.detail, '• .env (openai, line 3)\n\nQLP leaves it out unless you include it.');
    const many = secretsWarning(Array.from({ length: 10 }, (_, i) => ({ path: `k${i}.pem`, rules: ['@secretlint/secretlint-rule-privatekey'], lines: [1] })));
    assert.equal(many.message, '10 files look like they hold a secret.');
    assert.match(many.detail, /• k9\.pem \(privatekey, line 1\)\n\nQLP leaves them out unless you include them\.$/);
    assert.equal(leftOutNote([]), '');
    assert.equal(
      leftOutNote([
        { path: '.env', reason: 'secret' },
        { path: 'link', reason: 'symlink' },
      ]),
      ' Left out 1 file that looks like it holds a secret and 1 link or special file: .env, link.',
    );
  });
});
