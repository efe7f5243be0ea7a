import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StageFinding } from '../../../language-server/src/validate/model';
import { PyrightQueue } from '../../../language-server/src/validate/tools/pyrightQueue';

const finding = (file: string): StageFinding => ({ file, line: 1, column: 1, endLine: 1, endColumn: 2, severity: 'error', source: 'pyright', message: file });

describe('pyright queue', () => {
  it('runs one check at a time per folder and merges the requests that wait', async () => {
    const runs: string[][] = [];
    const queue = new PyrightQueue(async (root, paths) => {
      runs.push(paths.map((p) => p.slice(root.length + 1)).sort());
      await new Promise((r) => setTimeout(r, 30));
      return paths.map((p) => finding(p.slice(root.length + 1)));
    });
    const signal = new AbortController().signal;
    const [a, b, c] = await Promise.all([
      queue.run('/ws', ['/ws/a.py'], signal),
      queue.run('/ws', ['/ws/b.py'], signal),
      queue.run('/ws', ['/ws/c.py', '/ws/b.py'], signal),
    ]);
    assert.deepEqual(runs, [['a.py'], ['b.py', 'c.py']]);
    assert.deepEqual(
      [a, b, c].map((r) => r.map((f) => f.file).sort()),
      [['a.py'], ['b.py'], ['b.py', 'c.py']],
    );
  });

  it('cancels the process only when every request it serves is cancelled', async () => {
    const seen: AbortSignal[] = [];
    const queue = new PyrightQueue((_root, _paths, signal) => {
      seen.push(signal);
      return new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('killed')));
        setTimeout(() => resolve([]), 200);
      });
    });
    const one = new AbortController();
    const first = queue.run('/ws', ['/ws/a.py'], one.signal);
    one.abort(new Error('superseded'));
    await assert.rejects(first, /superseded/);
    assert.equal(seen[0].aborted, true);
  });
});
