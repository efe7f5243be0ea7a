import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportedMessage, shortPath } from '../../../extension/src/commands/exportMessage';

// Made-up folders under the temporary folder, so no file here names a machine's paths.
const root = join(tmpdir(), 'qlp-export-message');
const home = join(root, 'home', 'ana');
const projects = join(home, 'projects');
const out = join(projects, 'app-v2.zip');
const exported = { id: 'app-1', version: 2, out, format: 'zip' as const, files: 12, bytes: 3500, leftOut: [] };

describe('the export notification', () => {
  it('says how many files went where, with a path short enough to read whole', () => {
    assert.equal(exportedMessage(exported, '', { workspace: projects, home }), 'Exported 12 files to app-v2.zip (3.4 KB).');
    assert.equal(
      exportedMessage({ ...exported, files: 1 }, '', { workspace: join(root, 'srv', 'ws'), home }),
      'Exported 1 file to ~/projects/app-v2.zip (3.4 KB).',
    );
    assert.equal(exportedMessage(exported, 'Snapshotted app as version 2. ', {}), `Snapshotted app as version 2. Exported 12 files to ${out} (3.4 KB).`);
  });

  it('names files left out', () => {
    const leftOut = [{ path: '.env', reason: 'secret' as const, rules: ['x'], lines: [1] }];
    assert.match(exportedMessage({ ...exported, leftOut }, '', {}), /Left out 1 file that looks like it holds a secret: \.env\.$/);
  });

  it('does not shorten paths outside the workspace and home', () => {
    const elsewhere = join(root, 'scratch', 'a.zip');
    assert.equal(shortPath(elsewhere, { workspace: join(root, 'scratch', 'ws'), home }), elsewhere);
    const neighbour = join(root, 'home', 'anabel', 'a.zip');
    assert.equal(shortPath(neighbour, { home }), neighbour);
  });
});
