// The learned embedder with the model QLP ships: it loads, embeds as the training did, relates
// words that never co-occur literally, and refuses damaged files with one sentence.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createEmbedder } from '../../../language-server/src/index/embedders/createEmbedder';
import { EmbedderError } from '../../../language-server/src/index/embedders/embedder';
import { defaultModelDir, LearnedEmbedder, loadStaticModel } from '../../../language-server/src/index/embedders/learnedEmbedder';
import { terms } from '../../../language-server/src/index/tokens';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('index: learned embedder', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'qlp-learned-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('is chosen by its id, and its dimension comes from model.json', async () => {
    const e = await createEmbedder('learned', {});
    const meta = JSON.parse(readFileSync(join(defaultModelDir(), 'model.json'), 'utf8'));
    assert.deepEqual([e.id, e.dimensions], ['learned', meta.dimensions]);
  });

  it('embeds a batch into unit vectors, the same text the same way, unknown words to zero', async () => {
    const e = LearnedEmbedder.open();
    const [a, b, a2, none] = await e.embed([
      'parse the configuration file',
      'function parseConfig(path) { return JSON.parse(read(path)); }',
      'parse the configuration file',
      'zzqx wvvq',
    ]);
    assert.equal(a.length, e.dimensions);
    assert.ok(Math.abs(dot(a, a) - 1) < 1e-5 && Math.abs(dot(b, b) - 1) < 1e-5);
    assert.deepEqual(a, a2);
    assert.ok(none.every((x) => x === 0));
  });

  it('is the int8 table of weights.bin: a one-term text is that row, normalised', () => {
    const model = loadStaticModel(defaultModelDir());
    const [word, row] = [...model.vocabulary].find(([w]) => terms(w).length === 1 && terms(w)[0] === w)!;
    const expected = Float32Array.from(model.matrix.subarray(row * model.dimensions, (row + 1) * model.dimensions), (x) => x * model.scales[row]);
    const norm = Math.sqrt(dot(expected, expected));
    const got = LearnedEmbedder.open().embedOne(word);
    got.forEach((x, i) => assert.ok(Math.abs(x - expected[i] / norm) < 1e-5));
  });

  it('relates a description to code that shares none of its words', async () => {
    const e = LearnedEmbedder.open();
    const pairs: Array<[string, string, string]> = [
      ['delete a file from disk', 'fs.unlinkSync(target)', 'Math.max(width, height)'],
      ['change the colour of the text', 'setColor(fg)', 'parseInt(port)'],
      ['largest of two numbers', 'Math.max(a, b)', 'fs.unlinkSync(target)'],
      ['open a network connection', 'socket.connect(port, host)', "text.split('\\n')"],
    ];
    for (const [query, related, unrelated] of pairs) {
      const [q, r, u] = await e.embed([query, related, unrelated]);
      assert.equal(terms(query).filter((t) => terms(related).includes(t)).length, 0, `no shared terms in ${query}`);
      assert.ok(dot(q, r) > dot(q, u) + 0.05, `${query}: ${dot(q, r).toFixed(3)} vs ${dot(q, u).toFixed(3)}`);
    }
  });

  it('refuses a missing, truncated or mismatched model with one sentence', () => {
    const dir = join(scratch, 'damaged');
    mkdirSync(dir);
    assert.throws(
      () => LearnedEmbedder.open(dir),
      (err: Error) => err instanceof EmbedderError && /missing or damaged/.test(err.message),
    );
    for (const f of ['model.json', 'vocab.txt', 'weights.bin']) copyFileSync(join(defaultModelDir(), f), join(dir, f));
    const weights = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), weights.subarray(0, weights.length - 7));
    assert.throws(
      () => loadStaticModel(dir),
      (err: Error) => err instanceof EmbedderError && /not the \d+ its header announces/.test(err.message),
    );
    writeFileSync(join(dir, 'weights.bin'), weights);
    writeFileSync(join(dir, 'vocab.txt'), 'only\nthree\nterms\n');
    assert.throws(() => loadStaticModel(dir), /vocab\.txt has 3 terms/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'something-else/2', dimensions: 8 }));
    assert.throws(() => LearnedEmbedder.open(dir), /unknown format \(something-else\/2\)/);
  });
});
