import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportedMessage, shortPath } from '../../../extension/src/commands/exportMessage';

const exported = { id: 'app-1', version: 2, out: '/home/ana/projects/app-v2.zip', format: 'zip' as const, files: 12, bytes: 3500, leftOut: [] };

describe('the export notification', () => {
  it('says how many files went where, with a path short enough to read whole', () => {
    assert.equal(exportedMessage(exported, '', { workspace: '/home/ana/projects', home: '/home/ana' }), 'Exported 12 files to app-v2.zip (3.4 KB).');
    assert.equal(
      exportedMessage({ ...exported, files: 1 }, '', { workspace: '/srv/ws', home: '/home/ana' }),
      'Exported 1 file to ~/projects/app-v2.zip (3.4 KB).',
    );
    assert.equal(
      exportedMessage(exported, 'Snapshotted app as version 2. ', {}),
      'Snapshotted app as version 2. Exported 12 files to /home/ana/projects/app-v2.zip (3.4 KB).',
    );
  });

  it('names files left out', () => {
    const leftOut = [{ path: '.env', reason: 'secret' as const, rules: ['x'], lines: [1] }];
    assert.match(exportedMessage({ ...exported, leftOut }, '', {}), /Left out 1 file that looks like it holds a secret: \.env\.$/);
  });

  it('does not shorten paths outside the workspace and home', () => {
    assert.equal(shortPath('/tmp/a.zip', { workspace: '/tmp/ws', home: '/home/ana' }), '/tmp/a.zip');
    assert.equal(shortPath('/home/anabel/a.zip', { home: '/home/ana' }), '/home/anabel/a.zip');
  });
});
