// Likely secrets never reach a capsule or an export unless the user confirmed, and are never
// echoed: findings name the file, rule and line only.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yauzl from 'yauzl';
import { findSecrets, looksBinary, secretScannerId } from '../../../language-server/src/secrets/secretlint';
import { repoRoot } from '../../support/paths';
import { CapsuleService } from '../../../language-server/src/capsule/service';
import { fakeOpenAiKey, readTree, scratch, writeTree } from '../../support/capsuleFixtures';

async function zipNames(path: string): Promise<string[]> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const names: string[] = [];
  for await (const entry of zip.eachEntry()) names.push(entry.fileName);
  zip.close();
  return names.sort();
}

describe('secrets', () => {
  it('the secretlint adapter finds keys by rule and line, and never returns the value', async () => {
    const key = fakeOpenAiKey();
    const hits = await findSecrets('.env', `# settings\nPORT=8080\nOPENAI_API_KEY=${key}\n`);
    assert.deepEqual(hits.map((h) => ({ ruleId: h.ruleId, line: h.line, column: h.column })), [{ ruleId: '@secretlint/secretlint-rule-openai', line: 3, column: 16 }]);
    assert.ok(!JSON.stringify(hits).includes(key));
    const { privateKey: pem } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    assert.equal((await findSecrets('id_rsa', pem))[0]?.ruleId, '@secretlint/secretlint-rule-privatekey');
    assert.deepEqual(await findSecrets('app.js', 'const apiKey = process.env.OPENAI_API_KEY;\n'), []);
    assert.equal(looksBinary(Buffer.from([1, 2, 0, 3])), true);
    assert.equal(looksBinary(Buffer.from('text')), false);
  });

  it('keeps no profile of its scans (secretlint would keep a performance mark per rule and file forever)', async () => {
    for (let i = 0; i < 50; i++) await findSecrets(`f${i}.ts`, 'const value = "abcdef0123456789";\n'.repeat(50));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(performance.getEntriesByType('mark').length, 0);
    assert.equal(performance.getEntriesByType('measure').length, 0);
  });

  it('a snapshot leaves out a .env holding a key, unless told to include it', async () => {
    const ws = scratch();
    const folder = writeTree(join(ws, 'app'), { 'index.js': 'console.log(1)\n', '.env': `OPENAI_API_KEY=${fakeOpenAiKey()}\n` });
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const found = await service.findSecrets({ folder });
    assert.deepEqual(found, [{ path: '.env', rules: ['@secretlint/secretlint-rule-openai'], lines: [1] }]);
    const created = await service.create({ folder });
    assert.equal(created.files, 1);
    assert.deepEqual(created.leftOut, [{ path: '.env', reason: 'secret', rules: ['@secretlint/secretlint-rule-openai'] }]);
    assert.deepEqual((await service.manifest({ id: created.id })).files.map((f) => f.path), ['index.js']);
    const confirmed = await service.create({ folder, includeSecrets: true });
    assert.equal(confirmed.version, 2);
    assert.deepEqual((await service.manifest({ id: created.id })).files.map((f) => f.path), ['.env', 'index.js']);
  });

  it('an export leaves out files with secrets (listing them as omitted) unless told to include them', async () => {
    const ws = scratch();
    const key = fakeOpenAiKey();
    const folder = writeTree(join(ws, 'app'), { 'index.js': 'console.log(1)\n', 'config/keys.json': `{ "openai": "${key}" }\n` });
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const { id } = await service.create({ folder, includeSecrets: true });
    assert.deepEqual(await service.findSecrets({ ref: { id } }), [{ path: 'config/keys.json', rules: ['@secretlint/secretlint-rule-openai'], lines: [1] }]);

    const out = join(scratch(), 'app.zip');
    const exported = await service.export({ ref: { id }, format: 'zip', out });
    assert.deepEqual(exported.leftOut.map((l) => l.path), ['config/keys.json']);
    assert.deepEqual(await zipNames(out), ['capsule.json', 'files/index.js']);
    assert.ok(!readFileSync(out).includes(key));

    const imported = join(scratch(), 'imported');
    await service.import({ archive: out, out: imported });
    assert.deepEqual(Object.keys(readTree(imported)), ['index.js']);
    const manifest = (await service.show({ id: (await service.list()).find((c) => c.folder === imported)!.id })).manifest;
    assert.deepEqual(manifest.omitted, [{ path: 'config/keys.json', reason: 'secret' }]);

    const withSecrets = join(scratch(), 'all.zip');
    const all = await service.export({ ref: { id }, format: 'zip', out: withSecrets, includeSecrets: true });
    assert.deepEqual(all.leftOut, []);
    assert.deepEqual(await zipNames(withSecrets), ['capsule.json', 'files/config/keys.json', 'files/index.js']);
  });

  it('names the installed secretlint in its cache key, so an upgrade scans again', () => {
    const version = (pkg: string) => JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    assert.equal(secretScannerId, `secretlint-${version('@secretlint/core')}/preset-recommend-${version('@secretlint/secretlint-rule-preset-recommend')}`);
  });

  it('remembers scan results by content and extension, and ignores a cache from another scanner', async () => {
    const ws = scratch();
    const key = fakeOpenAiKey();
    const folder = writeTree(join(ws, 'app'), { 'a.txt': `token=${key}\n`, 'clean.js': 'x\n' });
    const data = join(scratch(), 'data');
    const service = await CapsuleService.open(data, ws);
    await service.create({ folder, includeSecrets: true });
    const { id } = (await service.list())[0];
    assert.equal((await service.findSecrets({ ref: { id } })).length, 1);
    const cachePath = join(service.store.dir, 'secret-scan.json');
    const cache = JSON.parse(readFileSync(cachePath, 'utf8'));
    assert.equal(cache.scanner, secretScannerId);
    assert.equal(Object.keys(cache.entries).length, 2);
    assert.ok(Object.keys(cache.entries).every((k) => /^[0-9a-f]{64}\.(txt|js)$/.test(k)));
    assert.ok(!readFileSync(cachePath, 'utf8').includes(key), 'the cache holds no secret');

    // A cache written by another scanner is not trusted: the secret is found again.
    const forged = Object.fromEntries(Object.keys(cache.entries).map((k) => [k, null]));
    writeFileSync(cachePath, JSON.stringify({ scanner: 'some-older-scanner', entries: forged }));
    const fresh = await CapsuleService.open(data, ws);
    assert.equal((await fresh.findSecrets({ ref: { id } })).length, 1);
  });
});
