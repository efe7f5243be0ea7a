// Likely secrets never reach a capsule or an export unless the user confirmed, and are never
// echoed: findings name the file, rule and line only.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yauzl from 'yauzl';
import { findSecrets, looksBinary } from '../../../language-server/src/secrets/secretlint';
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
    assert.deepEqual(hits, [{ ruleId: '@secretlint/secretlint-rule-openai', line: 3 }]);
    assert.ok(!JSON.stringify(hits).includes(key));
    const { privateKey: pem } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    assert.equal((await findSecrets('id_rsa', pem))[0]?.ruleId, '@secretlint/secretlint-rule-privatekey');
    assert.deepEqual(await findSecrets('app.js', 'const apiKey = process.env.OPENAI_API_KEY;\n'), []);
    assert.equal(looksBinary(Buffer.from([1, 2, 0, 3])), true);
    assert.equal(looksBinary(Buffer.from('text')), false);
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
});
