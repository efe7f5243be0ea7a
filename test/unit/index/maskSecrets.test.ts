// Likely secrets never reach the index: masked before chunking, so search snippets, chunk texts
// and generation context show the mask, never the key — whether secretlint knows the key by its
// vendor pattern (AWS) or only QLP's rules catch it (a literal assigned to a secret-named key).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chunkFile } from '../../../language-server/src/index/chunker';
import { maskSecrets, secretMask } from '../../../language-server/src/index/maskSecrets';
import { selectContext } from '../../../language-server/src/index/retrieve';
import { IndexService } from '../../../language-server/src/index/service';
import { leaks, secretFiles, writeFiles } from '../../support/secretFiles';

/** Every file under `dir`, read as bytes decoded to latin1 (LanceDB's data files included). */
function allBytes(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out += statSync(path).isDirectory() ? allBytes(path) : readFileSync(path).toString('latin1');
  }
  return out;
}

describe('index: secrets are masked before anything is stored', () => {
  it('masks a fake AWS secret access key whole, though the rule reports a range that ends inside it', async () => {
    const { files, awsSecret } = secretFiles();
    const text = files['deploy/upload.py'];
    const masked = await maskSecrets('deploy/upload.py', text);
    assert.ok(!leaks(masked, awsSecret), masked);
    assert.match(masked, new RegExp(`^ +${secretMask}="${secretMask}",$`, 'm'));
    assert.equal(masked.split('\n').length, text.split('\n').length, 'lines keep their numbers');
    // Lines without a secret are untouched.
    assert.deepEqual(
      masked.split('\n').filter((l) => !l.includes(secretMask)),
      text.split('\n').filter((l) => !l.includes(awsSecret)),
    );
  });

  it("masks a secret only QLP's rules catch, and leaves a file without secrets as it is", async () => {
    const { files, signingSecret } = secretFiles();
    const masked = await maskSecrets('src/session.ts', files['src/session.ts']);
    assert.ok(!leaks(masked, signingSecret));
    assert.match(masked, new RegExp(`^const SESSION_SIGNING_SECRET = '${secretMask}';$`, 'm'));
    const plain = 'export const greet = (name: string) => `hello ${name}`;\n';
    assert.equal(await maskSecrets('src/greet.ts', plain), plain);
    assert.equal(await maskSecrets('.env', 'DB_HOST=db\nDB_PASSWORD=Xk29vQ-rt7!\n'), `DB_HOST=db\nDB_PASSWORD=${secretMask}\n`);
  });

  it('chunks hold the mask; search snippets, chunk texts, generation context and the stored files never hold the key', async () => {
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'qlp-mask-')));
    const root = join(base, 'ws');
    const { files, awsSecret, signingSecret } = secretFiles();
    writeFiles(root, files);

    const chunks = await chunkFile('src/session.ts', files['src/session.ts']);
    assert.ok(chunks.some((c) => c.text.includes(secretMask)) && !chunks.some((c) => leaks(c.text, signingSecret)));

    const service = await IndexService.open({ root, indexDir: join(base, 'index'), env: {} });
    try {
      await service.update();
      const seen: string[] = [];
      for (const query of ['upload the release archive to the s3 bucket aws secret access key', 'session signing secret hmac cookie']) {
        const results = await service.searchWithText(query, 10);
        assert.ok(results.length > 0, query);
        seen.push(...results.flatMap((r) => [r.snippet, r.text]));
        const context = await selectContext(service, query, { k: 5 });
        assert.ok(context.length > 0);
        seen.push(...context.map((c) => c.text));
      }
      const shown = seen.join('\n');
      assert.ok(shown.includes(secretMask), 'the masked lines are searchable and shown masked');
      assert.ok(!leaks(shown, awsSecret) && !leaks(shown, signingSecret), 'no part of a key is shown');
    } finally {
      await service.close();
    }
    // Nothing on disk either: the table, its full-text index and the manifest hold no key.
    const stored = allBytes(join(base, 'index'));
    assert.ok(stored.length > 0 && !leaks(stored, awsSecret) && !leaks(stored, signingSecret));
  });
  it('masks a secret saved into a file that was indexed clean (the watcher update path), on disk too', async () => {
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'qlp-mask-')));
    const root = join(base, 'ws');
    const { files, signingSecret } = secretFiles();
    const clean = files['src/session.ts'].replace(signingSecret, 'process.env.SESSION_KEY');
    writeFiles(root, { 'src/session.ts': clean });
    const service = await IndexService.open({ root, indexDir: join(base, 'index'), env: {} });
    try {
      await service.update();
      writeFileSync(join(root, 'src/session.ts'), files['src/session.ts']);
      await service.updateFiles(['src/session.ts']);
      const results = await service.searchWithText('session signing secret hmac cookie', 10);
      const shown = results.flatMap((r) => [r.snippet, r.text]).join('\n');
      assert.ok(shown.includes(secretMask), 'the saved secret is shown masked');
      assert.ok(!leaks(shown, signingSecret));
    } finally {
      await service.close();
    }
    assert.ok(!leaks(allBytes(join(base, 'index')), signingSecret), 'the journal and table hold no key');
  });
});
