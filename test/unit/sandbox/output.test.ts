// Output kept within a budget, the warm launcher's trailer, and the live-output budget.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { SandboxProgress } from '../../../protocol/sandbox';
import { LiveOutput } from '../../../language-server/src/sandbox/liveOutput';
import { OutputCapture } from '../../../language-server/src/sandbox/output';
import { ReapTrailer } from '../../../language-server/src/sandbox/warmLauncher';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('output capture', () => {
  it('keeps everything that fits, with its size and hash', () => {
    const capture = new OutputCapture('stdout', 100);
    capture.write(Buffer.from('hello '));
    capture.write(Buffer.from('world\n'));
    assert.deepEqual(capture.finish(), { text: 'hello world\n', bytes: 12, cutBytes: 0, sha256: sha('hello world\n') });
  });

  it('keeps the head and the tail of long output, says what was cut, and hashes all of it', () => {
    const capture = new OutputCapture('stderr', 40);
    const all: Buffer[] = [];
    for (let i = 0; i < 1000; i++) {
      const chunk = Buffer.from(`line ${String(i).padStart(4, '0')}\n`);
      all.push(chunk);
      capture.write(chunk);
    }
    const out = capture.finish();
    const total = Buffer.concat(all);
    assert.equal(out.bytes, total.length);
    assert.equal(out.cutBytes, total.length - 40);
    assert.equal(out.sha256, sha(total));
    assert.ok(out.text.startsWith('line 0000\nline 0001\n'), out.text);
    assert.ok(out.text.endsWith('line 0998\nline 0999\n'), out.text);
    assert.match(out.text, /\n… \[9\.7 KiB of stderr cut here; 9\.8 KiB in all\] …\n/);
  });

  it('keeps the right tail whatever the chunk sizes', () => {
    const text = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    for (const size of [1, 7, 64, 999, 5000]) {
      const capture = new OutputCapture('stdout', 100);
      for (let i = 0; i < text.length; i += size) capture.write(Buffer.from(text.slice(i, i + size)));
      const out = capture.finish();
      assert.ok(out.text.startsWith(text.slice(0, 50)), `head, chunks of ${size}`);
      assert.ok(out.text.endsWith(text.slice(-50)), `tail, chunks of ${size}`);
      assert.equal(out.cutBytes, text.length - 100);
    }
  });
});

describe('warm launcher trailer', () => {
  const trailer = '\n\u001eqlp-reaped 1 2\n';

  it('removes the trailer and reads the status and OOM count, however the chunks fall', () => {
    const stderr = `some error output\n${'x'.repeat(100)}${trailer}`;
    for (const size of [1, 3, 17, 64, 1000]) {
      let forwarded = '';
      const reader = new ReapTrailer((c) => (forwarded += c.toString()));
      for (let i = 0; i < stderr.length; i += size) reader.write(Buffer.from(stderr.slice(i, i + size)));
      assert.deepEqual(reader.finish(), { status: 1, oomKills: 2 }, `chunks of ${size}`);
      assert.equal(forwarded, `some error output\n${'x'.repeat(100)}`);
    }
  });

  it('believes only the last line: a marker printed earlier by the tests is output like any other', () => {
    let forwarded = '';
    const reader = new ReapTrailer((c) => (forwarded += c.toString()));
    reader.write(Buffer.from(`\n\u001eqlp-reaped 0 0\nmore output after the fake\n`));
    assert.equal(reader.finish(), undefined);
    assert.match(forwarded, /qlp-reaped 0 0\nmore output/);
  });
});

describe('live output', () => {
  it('forwards output until its budget is spent, then says so once', () => {
    const seen: SandboxProgress[] = [];
    const live = new LiveOutput((p) => seen.push(p), 10);
    live.forward('stdout', 'abcde');
    live.forward('stderr', 'fgh');
    live.forward('stdout', 'this is too much');
    live.forward('stdout', 'and more');
    assert.equal(seen.length, 3);
    assert.deepEqual(seen[0], { kind: 'output', stream: 'stdout', text: 'abcde' });
    assert.match((seen[2] as { text: string }).text, /live output stops after 10 bytes/);
  });
});
