import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync, unlinkSync, renameSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultEmbedderId } from '../../../language-server/src/index/embedders/createEmbedder';
import { loadManifest, saveManifest } from '../../../language-server/src/index/manifest';
import { retrieveContext } from '../../../language-server/src/index/retrieve';
import { IndexService } from '../../../language-server/src/index/service';
import { ChunkStore, tableName } from '../../../language-server/src/index/store';
import { searchWorkspace } from '../../support/searchFixture';

async function open(ws: { root: string; indexDir: string }) {
  return IndexService.open({ root: ws.root, indexDir: ws.indexDir, env: {} });
}

describe('index: service', () => {
  it('indexes a folder (not what .gitignore leaves out) and finds functions by description', async () => {
    const ws = searchWorkspace();
    const service = await open(ws);
    const result = await service.update();
    assert.equal(result.files, 6); // .gitignore, README.md, cart.ts, events.ts, retry.ts, users.py — not ignored/hidden.ts
    const status = service.status();
    assert.equal(status.state, 'ready');
    assert.ok(status.chunks >= 8, `${status.chunks} chunks`);

    const [top] = await service.search('add up what the customer owes after the discount');
    assert.deepEqual([top.path, top.symbol, top.startLine], ['src/cart.ts', 'orderTotal', 7]);
    assert.ok(top.score > 0 && top.score <= 1);
    assert.ok(top.matches.includes('customer'));
    const retry = await service.search('wait longer after each failure before trying the call again');
    assert.equal(retry[0].symbol, 'withBackoff');
    // The default (learned) embedder: a description with no word of the function's code, name or path.
    const [debounce] = await service.search('postpone running until calls stop arriving');
    assert.deepEqual([debounce?.path, debounce?.symbol], ['src/events.ts', 'debounce']);
    const pw = await service.search('salted slow digest for stored credentials');
    assert.equal(pw[0].symbol, 'hash_password');
    assert.ok(!(await service.search('shouldNotBeIndexed ignored')).some((r) => r.path.startsWith('ignored/')));
    assert.ok(!readdirSync(ws.root).some((n) => /lance|manifest/.test(n)), 'nothing written into the workspace');
    await service.close();
  });

  it('answers a query about what the folder does not hold with no results, and a query with known words with some', async () => {
    const ws = searchWorkspace();
    const hash = await IndexService.open({ root: ws.root, indexDir: ws.indexDir, embedder: 'hash', env: {} });
    await hash.update();
    // No term of it occurs in the folder: hash, which has no calibrated cosine, cuts it by known words.
    assert.deepEqual(await hash.search('kubernetes helm chart rollout'), []);
    assert.ok((await hash.search('customer discount')).length > 0);
    // "call" occurs, so only a calibrated embedder can tell: the hash embedder's cosines are not.
    assert.ok((await hash.search('blur the background of a video call')).length > 0);
    await hash.close();

    // The learned model cuts on known words too, and on its cosine past them: "call" is known here.
    const learned = await IndexService.open({ root: ws.root, indexDir: ws.indexDir, embedder: 'learned', env: {} });
    await learned.update();
    assert.deepEqual(await learned.search('kubernetes helm chart rollout'), []);
    assert.deepEqual(await learned.search('blur the background of a video call'), []);
    // No word of it occurs here, though its best cosine clears the model's cut.
    assert.deepEqual(await learned.search('mine bitcoin with the gpu'), []);
    assert.equal((await learned.search('add up what the customer owes after the discount'))[0]?.symbol, 'orderTotal');
    await learned.close();
  });

  it('skips unchanged files, and re-indexes only created, changed, deleted and renamed ones', async () => {
    const ws = searchWorkspace();
    const service = await open(ws);
    await service.update();
    const again = await service.update();
    assert.deepEqual([again.indexedFiles, again.newChunks], [0, 0]);

    writeFileSync(
      join(ws.root, 'src', 'cart.ts'),
      `${readFileSync(join(ws.root, 'src', 'cart.ts'), 'utf8')}\n/** Turns a price in cents into a display string with a currency sign. */\nexport function formatCents(cents: number): string {\n  return '$' + (cents / 100).toFixed(2);\n}\n`,
    );
    const started = performance.now();
    const changed = await service.updateFiles(['src/cart.ts']);
    const ms = performance.now() - started;
    assert.equal(changed.indexedFiles, 1);
    const [hit] = await service.search('display string with a currency sign for cents');
    assert.deepEqual([hit.path, hit.symbol], ['src/cart.ts', 'formatCents']);
    assert.ok(ms < 2000, `a one-file update took ${ms} ms`);

    renameSync(join(ws.root, 'src', 'retry.ts'), join(ws.root, 'src', 'backoff.ts'));
    await service.updateFiles(['src/retry.ts', 'src/backoff.ts']);
    const moved = await service.search('exponential backoff retry');
    assert.equal(moved[0].path, 'src/backoff.ts');
    assert.ok(!moved.some((r) => r.path === 'src/retry.ts'));

    unlinkSync(join(ws.root, 'py', 'users.py'));
    const removed = await service.updateFiles(['py/users.py']);
    assert.equal(removed.removedFiles, 1);
    assert.ok(!(await service.search('salted digest credentials password')).some((r) => r.path === 'py/users.py'));
    assert.equal(service.status().files, 5);
    await service.close();
  });

  it('records a save as a journal line, not a rewrite of the manifest, and reads it back after a kill', async () => {
    const ws = searchWorkspace();
    const service = await open(ws);
    await service.update();
    await service.updateFiles(['src/cart.ts']); // the first update after a full run marks the index dirty
    const table = tableName(defaultEmbedderId, 256);
    const manifestFile = join(ws.indexDir, `${table}.manifest.json`);
    const before = readFileSync(manifestFile, 'utf8');
    writeFileSync(
      join(ws.root, 'src', 'cart.ts'),
      '/** Rounds a price to whole cents. */\nexport function roundCents(x: number) {\n  return Math.round(x * 100) / 100;\n}\n',
    );
    await service.updateFiles(['src/cart.ts']);
    unlinkSync(join(ws.root, 'py', 'users.py'));
    await service.updateFiles(['py/users.py']);
    assert.equal(readFileSync(manifestFile, 'utf8'), before, 'the manifest itself is not rewritten on a save');
    const journal = join(ws.indexDir, `${table}.journal.jsonl`);
    // What a kill can leave: a torn last line; a line of an older generation (already in the
    // manifest); and a damaged line.
    const { generation } = JSON.parse(before) as { generation: number };
    const nullFiles = JSON.stringify({ generation, updatedAt: '', files: null });
    writeFileSync(
      journal,
      `${JSON.stringify({ generation: -1, updatedAt: '', files: { 'src/retry.ts': null } })}\n${nullFiles}\n${readFileSync(journal, 'utf8')}{"generation":`,
    );

    const read = (await loadManifest(ws.indexDir, table))!; // what the next start sees, without close()
    assert.equal(read.dirty, true);
    assert.ok(read.files['src/retry.ts'], 'the stale line is ignored');
    assert.equal(read.files['src/cart.ts'].chunks, 1);
    assert.equal(read.files['py/users.py'], undefined);
    assert.equal(
      read.chunks,
      Object.values(read.files).reduce((n, f) => n + f.chunks, 0),
    );
    await service.close();
    assert.ok(!readdirSync(ws.indexDir).some((n) => n.endsWith('.journal.jsonl')), 'close folds the journal into the manifest');
    const reopened = await open(ws);
    assert.equal((await reopened.search('round a price to whole cents'))[0].symbol, 'roundCents');
    assert.equal(reopened.status().files, 5);
    await reopened.close();
  });

  it('keeps term statistics exact across saves and deletions', async () => {
    const ws = searchWorkspace();
    const service = await open(ws);
    await service.update();
    const file = join(ws.root, 'src', 'zorb.ts');
    for (let i = 0; i < 3; i++) {
      writeFileSync(file, `/** Zorbulates the flux number ${i}. */\nexport function zorbulate(flux: number) {\n  return flux * ${i + 1};\n}\n`);
      await service.updateFiles(['src/zorb.ts']);
    }
    await service.close();
    const table = tableName(defaultEmbedderId, 256);
    assert.equal((await loadManifest(ws.indexDir, table))!.df.zorbulat, 1, 'three saves of one chunk count once');
    const reopened = await open(ws);
    unlinkSync(file);
    await reopened.updateFiles(['src/zorb.ts']);
    await reopened.close();
    assert.equal((await loadManifest(ws.indexDir, table))!.df.zorbulat, undefined);
  });

  it('repairs an index whose run was interrupted: rows no record vouches for are dropped', async () => {
    const ws = searchWorkspace();
    const service = await open(ws);
    await service.update();
    await service.close();
    // What a kill between "rows written" and "manifest saved" leaves: rows of a file the
    // manifest does not know, and the dirty mark.
    const table = tableName(defaultEmbedderId, 256);
    const manifest = (await loadManifest(ws.indexDir, table))!;
    delete manifest.files['src/retry.ts'];
    manifest.dirty = true;
    await saveManifest(ws.indexDir, manifest);
    unlinkSync(join(ws.root, 'src', 'retry.ts'));

    const reopened = await open(ws);
    assert.equal(reopened.notice, undefined);
    const store = await ChunkStore.open(ws.indexDir, table, 256);
    assert.ok(!(await store.paths()).has('src/retry.ts'), 'stray rows removed on open');
    store.close();
    await reopened.update();
    assert.equal(reopened.status().files, 5);
    await reopened.close();
  });

  it('rebuilds a damaged index with a one-sentence notice instead of failing', async () => {
    const ws = searchWorkspace();
    const service = await open(ws);
    await service.update();
    await service.close();
    const lance = join(ws.indexDir, `${tableName(defaultEmbedderId, 256)}.lance`);
    rmSync(join(lance, '_versions'), { recursive: true, force: true });
    const reopened = await open(ws);
    assert.equal(reopened.notice, 'The search index was damaged and is being rebuilt.');
    await reopened.update();
    assert.equal((await reopened.search('customer owes discount'))[0].symbol, 'orderTotal');
    await reopened.close();
  });

  it('commits a batch once its text is large, not only once it has 2,048 rows', async () => {
    const ws = searchWorkspace();
    mkdirSync(join(ws.root, 'bundles'));
    // Ten bundles of one long line each (just under the 1 MiB file limit): one chunk apiece of well
    // over a million characters of text and terms, so the ten pass the 8 Mi-character budget.
    const line = Array.from({ length: 118_000 }, (_, i) => `v${i % 97}=w${i % 89}`).join(';');
    for (let f = 0; f < 10; f++) writeFileSync(join(ws.root, 'bundles', `bundle${f}.js`), `${line};\n`);
    const service = await open(ws);
    const commits: number[] = [];
    const result = await service.update({ onProgress: (p) => commits.push(p.done) });
    assert.equal(result.files, 16);
    // The 16 files hold far fewer than 2,048 chunks: by rows alone they would be one batch.
    assert.ok(commits.length >= 2, `${commits.length} batches for ${result.chunks} chunks`);
    assert.equal(result.newChunks, result.chunks, 'every chunk written');
    await service.close();
  });

  it('cancels a run through its AbortSignal, and the next run completes it', async () => {
    const ws = searchWorkspace();
    const service = await open(ws);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(service.update({ signal: controller.signal }));
    const result = await service.update();
    assert.equal(result.files, 6);
    assert.equal(service.status().state, 'ready');
    await service.close();
  });

  it('cancels a run midway: committed batches stay, and the next run indexes only the rest', async () => {
    const ws = searchWorkspace();
    mkdirSync(join(ws.root, 'many'));
    // 120 files of 25 functions: 3,000 chunks, more than one 2,048-row batch.
    for (let f = 0; f < 120; f++) {
      const body = Array.from({ length: 25 }, (_, i) => `export function task${f}x${i}(n: number): number {\n  return n + ${i};\n}\n`).join('\n');
      writeFileSync(join(ws.root, 'many', `file${String(f).padStart(3, '0')}.ts`), body);
    }
    const service = await open(ws);
    const controller = new AbortController();
    let progressAtCancel = 0;
    await assert.rejects(
      service.update({
        signal: controller.signal,
        onProgress: (p) => {
          if (controller.signal.aborted || p.done === 0) return;
          progressAtCancel = p.done;
          controller.abort();
        },
      }),
    );
    assert.ok(progressAtCancel > 0 && progressAtCancel < 126, `cancelled after ${progressAtCancel} files`);
    const kept = service.status().files;
    assert.ok(kept > 0 && kept < 126, `${kept} files kept from the cancelled run`);
    const resumed = await service.update();
    assert.equal(resumed.files, 126);
    assert.ok(resumed.indexedFiles <= 126 - kept, `the next run redid ${resumed.indexedFiles} files`);
    assert.equal(service.status().files, 126);
    assert.equal((await service.search('task119x24'))[0]?.symbol, 'task119x24');
    await service.close();
  });

  it('retrieves context for a requirement within a token budget', async () => {
    const ws = searchWorkspace();
    const chunks = await retrieveContext(ws.root, 'compute the order total with a discount', { indexDir: ws.indexDir, tokenBudget: 120, k: 5, env: {} });
    assert.ok(chunks.length >= 1);
    assert.equal(chunks[0].symbol, 'orderTotal');
    assert.ok(chunks.reduce((n, c) => n + c.tokens, 0) <= 120);
    assert.match(chunks[0].text, /Math\.max\(0, sum - discount\)/);
  });
});
