// Import is total: archives QLP exported, then damaged (bytes flipped, cut short, size fields
// made to lie), are refused with one sentence within a second or two and leave nothing behind;
// an import succeeds only when what it unpacked is exactly the original folder. The mutations
// come from a fixed seed, so every run tries the same cases.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CapsuleManifest } from '../../../protocol/capsule';
import { CapsuleError } from '../../../language-server/src/capsule/errors';
import { CapsuleService } from '../../../language-server/src/capsule/service';
import { readTree, scratch, writeTree } from '../../support/capsuleFixtures';
import { seeded } from '../../support/seeded';

type Random = () => number;
const pick = (random: Random, n: number) => Math.floor(random() * n);

function flip(bytes: Buffer, random: Random): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0, n = 1 + pick(random, 4); i < n; i++) out[pick(random, out.length)] ^= 1 + pick(random, 255);
  return out;
}

const cut = (bytes: Buffer, random: Random): Buffer => Buffer.from(bytes.subarray(0, pick(random, bytes.length)));

function lyingSize(random: Random, real: number): number {
  const choices = [0, 1, real - 1, real + 1, real + 1 + pick(random, 100_000), 0xffffffff, pick(random, 0x100000000)];
  const size = choices[pick(random, choices.length)] >>> 0;
  return size === real ? real + 1 : size; // always a lie
}

/** Makes one size field of a zip lie: compressed or unpacked, in the central directory or a local header. */
function zipSizes(bytes: Buffer, random: Random): Buffer {
  const out = Buffer.from(bytes);
  const end = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const records: number[] = [];
  for (let at = out.readUInt32LE(end + 16), i = 0; i < out.readUInt16LE(end + 10); i++) {
    records.push(at);
    at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  const record = records[pick(random, records.length)];
  const fields = [record + 20, record + 24, out.readUInt32LE(record + 42) + 18, out.readUInt32LE(record + 42) + 22];
  const field = fields[pick(random, fields.length)];
  out.writeUInt32LE(lyingSize(random, out.readUInt32LE(field)), field);
  return out;
}

/** Makes one tar header's size lie, with its checksum made right again (so only the size is wrong). */
function tarSizes(bytes: Buffer, random: Random): Buffer {
  const out = Buffer.from(bytes);
  const headers: number[] = [];
  for (let at = 0; at + 512 <= out.length && out[at] !== 0; ) {
    headers.push(at);
    const size = parseInt(
      out
        .toString('latin1', at + 124, at + 136)
        .replace(/\0.*$/, '')
        .trim() || '0',
      8,
    );
    at += 512 + Math.ceil(size / 512) * 512;
  }
  const header = headers[pick(random, headers.length)];
  const real = parseInt(
    out
      .toString('latin1', header + 124, header + 136)
      .replace(/\0.*$/, '')
      .trim() || '0',
    8,
  );
  const size = Math.min(lyingSize(random, real), 0o77777777777);
  out.write(`${size.toString(8).padStart(11, '0')}\0`, header + 124, 'latin1');
  out.fill(0x20, header + 148, header + 156);
  let sum = 0;
  for (let i = header; i < header + 512; i++) sum += out[i];
  out.write(`${sum.toString(8).padStart(6, '0')}\0 `, header + 148, 'latin1');
  return out;
}

const mutations = {
  zip: { flip, cut, sizes: zipSizes },
  tar: { flip, cut, sizes: tarSizes },
  tgz: { flip, cut, sizes: (bytes: Buffer, random: Random) => gzipSync(tarSizes(gunzipSync(bytes), random)) },
} as const;

const perKind = { flip: 40, cut: 30, sizes: 30 } as const;

describe('import fuzzing', () => {
  it('refuses every damaged archive cleanly, and imports only what is intact', async () => {
    const ws = scratch();
    const folder = writeTree(join(ws, 'app'), {
      'README.md': '# App\n\nSomething to deflate, said twice. Something to deflate, said twice.\n',
      'src/index.ts': `export const lines = [\n${'  "a line that repeats",\n'.repeat(200)}];\n`,
      'bin/run.sh': ['#!/bin/sh\necho run\n', 0o755],
      'assets/logo.png': Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251)),
      'empty.txt': '',
    });
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const { id } = await service.create({ folder });
    const original = readTree(folder);
    const originalFiles = (await service.manifest({ id })).files;
    const random = seeded(0x51c0ffee);
    const counts: Record<string, { cases: number; refused: number; imported: number }> = {};
    let slowest = 0;

    for (const format of ['zip', 'tar', 'tgz'] as const) {
      const archive = join(scratch(), `app.${format}`);
      await service.export({ ref: { id }, format, out: archive });
      const intact = readFileSync(archive);
      for (const [kind, mutate] of Object.entries(mutations[format])) {
        const tally = (counts[`${format} ${kind}`] = { cases: 0, refused: 0, imported: 0 });
        for (let i = 0; i < perKind[kind as keyof typeof perKind]; i++) {
          const mutant = join(scratch(), `mutant.${format}`);
          writeFileSync(mutant, mutate(intact, random));
          const parent = scratch('qlp-fuzz-parent-');
          const target = join(parent, 'out');
          const importer = await CapsuleService.open(join(scratch(), 'data'), scratch());
          const label = `${format} ${kind} #${i}`;
          const started = Date.now();
          tally.cases++;
          try {
            const result = await importer.import({ archive: mutant, out: target });
            tally.imported++;
            assert.deepEqual(readTree(target), original, `${label}: imported, but not the original files`);
            const manifest: CapsuleManifest = await importer.manifest({ id: result.id });
            assert.deepEqual(manifest.files, originalFiles, `${label}: imported, but with another file list`);
          } catch (err) {
            if (err instanceof assert.AssertionError) throw err;
            tally.refused++;
            assert.ok(err instanceof CapsuleError, `${label}: not a clean refusal: ${(err as Error).stack}`);
            assert.equal(err.exitCode, 2, `${label}: exit ${err.exitCode}: ${err.message}`);
            assert.match(err.message, /^[^\n]+\.$/, `${label}: not one sentence: ${err.message}`);
            assert.deepEqual(readdirSync(parent), [], `${label}: left something behind after "${err.message}"`);
            assert.deepEqual(await importer.list(), [], `${label}: recorded a capsule after "${err.message}"`);
          }
          slowest = Math.max(slowest, Date.now() - started);
        }
      }
    }
    const total = Object.values(counts).reduce((sum, c) => sum + c.cases, 0);
    console.log(`import fuzz: ${total} cases, slowest ${slowest} ms`);
    for (const [name, c] of Object.entries(counts)) console.log(`  ${name}: ${c.cases} cases, ${c.refused} refused, ${c.imported} imported intact`);
    assert.equal(total, 300);
    assert.ok(slowest < 2000, `the slowest case took ${slowest} ms`);
  });
});
