// Hostile and damaged archives are refused with one sentence, and nothing is written: not the
// target, not a temporary folder next to it, not a capsule in the store.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capsuleSchemaVersion, filesDigestInput } from '../../../protocol/capsule';
import { sha256Hex } from '../../../language-server/src/capsule/blobStore';
import { UnsafeArchiveError } from '../../../language-server/src/capsule/errors';
import { defaultArchiveLimits } from '../../../language-server/src/capsule/limits';
import { CapsuleService } from '../../../language-server/src/capsule/service';
import { craftTar, craftZip, type CraftEntry } from '../../support/craftArchive';
import { scratch } from '../../support/capsuleFixtures';

/** A valid manifest for `files` (path → content). */
function manifestFor(files: Record<string, string | Buffer>, overrides: Record<string, unknown> = {}): string {
  const list = Object.entries(files)
    .map(([path, data]) => ({ path, sha256: sha256Hex(Buffer.from(data)), size: Buffer.from(data).length, mode: 0o644 }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return JSON.stringify({
    schemaVersion: capsuleSchemaVersion,
    id: 'crafted-abc123',
    name: 'crafted',
    version: 1,
    parentVersion: null,
    createdAt: new Date().toISOString(),
    kind: 'snapshot',
    requirements: null,
    stack: null,
    digest: sha256Hex(filesDigestInput(list)),
    files: list,
    models: [],
    usage: null,
    validation: null,
    receipts: [],
    tools: {},
    ...overrides,
  });
}

async function expectRefused(archive: string, pattern: RegExp, limits = defaultArchiveLimits): Promise<void> {
  const ws = scratch();
  const service = await CapsuleService.open(join(scratch(), 'data'), ws, { limits });
  const parent = scratch('qlp-import-parent-');
  await assert.rejects(service.import({ archive, out: join(parent, 'target') }), (err: Error) => {
    assert.ok(err instanceof UnsafeArchiveError, `${err.name}: ${err.message}`);
    assert.match(err.message, pattern);
    assert.equal(err.message.split('\n').length, 1);
    assert.match(err.message, /\.$/);
    return true;
  });
  assert.deepEqual(readdirSync(parent), [], 'the import left something behind');
  assert.deepEqual(await service.list(), [], 'the import recorded a capsule');
}

const good = { 'files/ok.txt': 'fine\n' };
const zipOf = (entries: CraftEntry[]) => {
  const path = join(scratch(), 'hostile.zip');
  craftZip(path, entries);
  return path;
};

describe('importing hostile archives', () => {
  it('accepts the crafted baseline (so the refusals below are about their one flaw)', async () => {
    const archive = zipOf([
      { name: 'capsule.json', data: manifestFor({ 'ok.txt': good['files/ok.txt'] }) },
      { name: 'files/ok.txt', data: good['files/ok.txt'] },
    ]);
    const service = await CapsuleService.open(join(scratch(), 'data'), scratch());
    const result = await service.import({ archive, out: join(scratch(), 'target') });
    assert.equal(result.files, 1);
  });

  it('refuses zip-slip (../) in a zip', async () => {
    const archive = zipOf([
      { name: 'capsule.json', data: manifestFor({}) },
      { name: 'files/../../evil.sh', data: 'boom' },
    ]);
    await expectRefused(archive, /points outside the folder it would unpack into \(zip-slip\)/);
  });

  it('refuses zip-slip (../) in a tar', async () => {
    const archive = join(scratch(), 'hostile.tar');
    await craftTar(archive, [
      { name: 'capsule.json', data: manifestFor({}) },
      { name: '../evil.sh', data: 'boom' },
    ]);
    await expectRefused(archive, /zip-slip/);
  });

  it('refuses zip-slip written with backslashes', async () => {
    await expectRefused(zipOf([{ name: 'files\\..\\..\\evil.sh', data: 'boom' }]), /zip-slip/);
  });

  it('refuses absolute paths in a zip and in a tar.gz', async () => {
    await expectRefused(zipOf([{ name: '/etc/cron.d/evil', data: 'boom' }]), /has an absolute path/);
    const archive = join(scratch(), 'hostile.tar.gz');
    await craftTar(archive, [{ name: '/tmp/evil', data: 'boom' }], true);
    await expectRefused(archive, /has an absolute path/);
  });

  it('refuses symbolic links in a zip and in a tar', async () => {
    await expectRefused(zipOf([{ name: 'files/link', data: '/etc/passwd', mode: 0o120777 }]), /"files\/link" is a symbolic link/);
    const archive = join(scratch(), 'hostile.tar');
    await craftTar(archive, [{ name: 'files/link', type: 'symlink', linkname: '/etc/passwd' }]);
    await expectRefused(archive, /is a symbolic link/);
  });

  it('refuses hard links, device files and named pipes', async () => {
    const cases: Array<[Parameters<typeof craftTar>[1][number], RegExp]> = [
      [{ name: 'files/hard', type: 'link', linkname: 'files/ok.txt' }, /is a hard link/],
      [{ name: 'files/null', type: 'character-device' }, /is a device file/],
      [{ name: 'files/disk', type: 'block-device' }, /is a device file/],
      [{ name: 'files/pipe', type: 'fifo' }, /is a named pipe/],
    ];
    for (const [entry, pattern] of cases) {
      const archive = join(scratch(), 'hostile.tar');
      await craftTar(archive, [{ name: 'files/ok.txt', data: 'fine\n' }, entry]);
      await expectRefused(archive, pattern);
    }
    await expectRefused(zipOf([{ name: 'files/null', mode: 0o020644 }]), /is a device file/);
  });

  it('refuses a zip bomb by its compression ratio before unpacking it', async () => {
    const zeros = Buffer.alloc(50 * 1024 * 1024);
    await expectRefused(zipOf([{ name: 'files/zeros.bin', data: zeros, deflate: true }]), /a ratio that marks a decompression bomb/);
  });

  it('refuses a tar.gz bomb while it streams, by ratio and by total size', async () => {
    const archive = join(scratch(), 'bomb.tar.gz');
    await craftTar(archive, [{ name: 'files/zeros.bin', data: Buffer.alloc(50 * 1024 * 1024) }], true);
    await expectRefused(archive, /a ratio that marks a decompression bomb/);
    await expectRefused(archive, /unpacks to more than 10\.0 MB/, {
      ...defaultArchiveLimits,
      maxRatio: 1e9,
      maxTotalBytes: 10 * 1024 * 1024,
      maxFileBytes: 100 * 1024 * 1024,
    });
  });

  it('refuses archives past the entry count and total size caps', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `files/f${i}.txt`, data: 'x' }));
    await expectRefused(zipOf(many), /holds 12 entries, more than the 10/, { ...defaultArchiveLimits, maxEntries: 10 });
    await expectRefused(zipOf([{ name: 'files/big.txt', data: 'y'.repeat(2000) }]), /more than 1000 B/, { ...defaultArchiveLimits, maxTotalBytes: 1000 });
  });

  it('refuses a file whose content does not match its hash in capsule.json', async () => {
    const archive = zipOf([
      { name: 'capsule.json', data: manifestFor({ 'app.js': 'console.log("hi")\n' }) },
      { name: 'files/app.js', data: 'console.log("yo")\n' },
    ]);
    await expectRefused(archive, /files\/app\.js does not match its sha256 in capsule\.json/);
  });

  it('refuses files capsule.json does not list, and listed files the archive lacks', async () => {
    await expectRefused(
      zipOf([
        { name: 'capsule.json', data: manifestFor({}) },
        { name: 'files/extra.js', data: 'x' },
      ]),
      /holds files\/extra\.js, which capsule\.json does not list/,
    );
    await expectRefused(zipOf([{ name: 'capsule.json', data: manifestFor({ 'gone.txt': 'x' }) }]), /lists gone\.txt, which the archive does not hold/);
  });

  it('refuses a missing, malformed, tampered or future manifest', async () => {
    await expectRefused(zipOf([{ name: 'files/a.txt', data: 'a' }]), /has no capsule\.json/);
    await expectRefused(zipOf([{ name: 'capsule.json', data: '{ not json' }]), /is not valid JSON/);
    await expectRefused(zipOf([{ name: 'capsule.json', data: manifestFor({}, { id: '../../x' }) }]), /not a valid capsule manifest \(id:/);
    await expectRefused(zipOf([{ name: 'capsule.json', data: manifestFor({}, { digest: 'a'.repeat(64) }) }]), /digest in capsule\.json does not match/);
    await expectRefused(zipOf([{ name: 'capsule.json', data: manifestFor({}, { schemaVersion: 99 }) }]), /made by a newer QLP \(capsule schema 99\)/);
  });

  it('refuses entries that are not part of a capsule, and duplicates', async () => {
    await expectRefused(zipOf([{ name: 'install.sh', data: 'x' }]), /is not part of a capsule/);
    await expectRefused(
      zipOf([
        { name: 'files/a.txt', data: 'a' },
        { name: 'files/a.txt', data: 'b' },
      ]),
      /holds files\/a\.txt twice/,
    );
    await expectRefused(
      zipOf([
        { name: 'files/a', data: 'a' },
        { name: 'files/a/b', data: 'b' },
      ]),
      /twice, or as both a file and a folder/,
    );
  });

  it('refuses what is not an archive, and never writes into a folder that has files', async () => {
    const ws = scratch();
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const notArchive = join(scratch(), 'notes.zip');
    writeFileSync(notArchive, 'just text');
    await assert.rejects(service.import({ archive: notArchive, out: join(scratch(), 't') }), /is not a ZIP, TAR or TAR\.GZ archive\./);
    const occupied = scratch();
    writeFileSync(join(occupied, 'mine.txt'), 'keep me');
    const archive = zipOf([{ name: 'capsule.json', data: manifestFor({}) }]);
    await assert.rejects(service.import({ archive, out: occupied }), /already exists and is not an empty folder/);
    assert.deepEqual(readdirSync(occupied), ['mine.txt']);
  });

  it('refuses a zip whose entry sizes lie, in either direction, for a file or for capsule.json', async () => {
    const text = 'fine, and long enough to deflate\n'.repeat(20);
    for (const lying of ['capsule.json', 'files/ok.txt']) {
      for (const delta of [-7, 7]) {
        for (const deflate of [true, false]) {
          // The manifest last, so that the file's bytes are read before anything is known of it.
          const entries: CraftEntry[] = [
            { name: 'files/ok.txt', data: text, deflate },
            { name: 'capsule.json', data: manifestFor({ 'ok.txt': text }), deflate },
          ].map((e) => (e.name === lying ? { ...e, declaredSize: Buffer.byteLength(e.data) + delta } : e));
          await expectRefused(
            zipOf(entries),
            /^(The zip archive is damaged \(.+\)|.+ holds more bytes than the archive declares for it; the archive is damaged)\.$/,
          );
          await expectRefused(
            zipOf(entries.reverse()),
            /^(The zip archive is damaged \(.+\)|.+ holds more bytes than the archive declares for it; the archive is damaged|files\/ok\.txt does not match its size in capsule\.json; the archive was altered or damaged)\.$/,
          );
        }
      }
    }
  });

  it('refuses an entry whose CRC-32 does not match, even when its bytes match capsule.json', async () => {
    const archive = zipOf([
      { name: 'capsule.json', data: manifestFor({ 'ok.txt': 'fine\n' }) },
      { name: 'files/ok.txt', data: 'fine\n', crc: 0x12345678 },
    ]);
    await expectRefused(archive, /"files\/ok\.txt" fails its CRC-32 check; the archive is damaged\./);
  });

  it('refuses encrypted entries', async () => {
    await expectRefused(
      zipOf([
        { name: 'capsule.json', data: manifestFor({}) },
        { name: 'files/x.txt', data: 'x', flags: 1, deflate: true },
      ]),
      /"files\/x\.txt" is encrypted/,
    );
  });

  it('refuses truncated archives of every format', async () => {
    const files = { 'ok.txt': 'fine\n'.repeat(400) };
    const entries = [
      { name: 'capsule.json', data: manifestFor(files) },
      { name: 'files/ok.txt', data: files['ok.txt'] },
    ];
    const zip = zipOf(entries.map((e) => ({ ...e, deflate: true })));
    const tarPath = join(scratch(), 'whole.tar');
    const tgzPath = join(scratch(), 'whole.tar.gz');
    await craftTar(tarPath, entries);
    await craftTar(tgzPath, entries, true);
    for (const whole of [zip, tarPath, tgzPath]) {
      const bytes = readFileSync(whole);
      for (const keep of [0.3, 0.6, 0.9]) {
        const cut = join(scratch(), `cut-${whole.split('.').slice(1).join('.')}`);
        writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * keep)));
        await expectRefused(cut, /damaged|not a readable zip|not a ZIP, TAR or TAR\.GZ|does not hold|has no capsule\.json/);
      }
    }
  });

  it('refuses an entry given twice, receipts included', async () => {
    await expectRefused(
      zipOf([
        { name: 'receipts/validation.json', data: '{}' },
        { name: 'receipts/validation.json', data: '{}' },
      ]),
      /holds receipts\/validation\.json twice/,
    );
  });

  it('refuses a manifest with too many, too long or too deep paths at once, before any per-path work', async () => {
    // 1,000 paths of 4,096 characters, 2,048 levels each: took 87 s to refuse when the shape was judged last.
    const deep = Array.from({ length: 1000 }, (_, i) => ({
      path: `${'d/'.repeat(2046)}${String(i).padStart(4, 'f')}`,
      sha256: 'a'.repeat(64),
      size: 1,
      mode: 0o644,
    }));
    assert.ok(deep.every((f) => f.path.length === 4096));
    let started = Date.now();
    await expectRefused(
      zipOf([{ name: 'capsule.json', data: manifestFor({}, { files: deep }) }]),
      /capsule\.json lists a path that is longer than the 1024 bytes a capsule path may have/,
    );
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);

    const tooDeep = [{ path: `${'d/'.repeat(40)}f.txt`, sha256: 'a'.repeat(64), size: 1, mode: 0o644 }];
    await expectRefused(zipOf([{ name: 'capsule.json', data: manifestFor({}, { files: tooDeep }) }]), /lists a path that is more than 32 folders deep/);
    const many = Array.from({ length: 11 }, (_, i) => ({ path: `f${i}`, sha256: 'a'.repeat(64), size: 1, mode: 0o644 }));
    started = Date.now();
    await expectRefused(zipOf([{ name: 'capsule.json', data: manifestFor({}, { files: many }) }]), /lists 11 files, more than the 10 a capsule may hold/, {
      ...defaultArchiveLimits,
      maxFiles: 10,
    });
    await expectRefused(zipOf([{ name: `files/${'d/'.repeat(40)}f.txt`, data: 'x' }]), /"files\/d\/d.+ is more than 32 folders deep/);
    await expectRefused(zipOf([{ name: `files/${'n'.repeat(300)}`, data: 'x' }]), /has a name longer than the 255 bytes a file system allows/);
  });

  it('refuses a file capsule.json does not list before unpacking it, when capsule.json comes first', async () => {
    const big = 'z'.repeat(1024 * 1024);
    const archive = zipOf([
      { name: 'capsule.json', data: manifestFor({ 'ok.txt': 'fine\n' }) },
      { name: 'files/ok.txt', data: 'fine\n' },
      { name: 'files/extra.bin', data: big, deflate: true },
    ]);
    await expectRefused(archive, /holds files\/extra\.bin, which capsule\.json does not list/);
    const resized = zipOf([
      { name: 'capsule.json', data: manifestFor({ 'ok.txt': 'fine\n' }) },
      { name: 'files/ok.txt', data: 'fine, but longer\n' },
    ]);
    await expectRefused(resized, /files\/ok\.txt does not match its size in capsule\.json/);
  });
});
