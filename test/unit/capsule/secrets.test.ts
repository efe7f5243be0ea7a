// Likely secrets never reach a capsule or an export unless the user confirmed, and are never
// echoed: findings name the file, rule and line only.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yauzl from 'yauzl';
import { findSecrets, secretScannerId } from '../../../language-server/src/secrets/secretlint';
import { looksBinary } from '../../../language-server/src/workspace/binary';
import { findLikelySecrets, likelySecretsScannerId } from '../../../language-server/src/secrets/likelySecrets';
import { qlpRulesVersion } from '../../../language-server/src/secrets/qlpRules';
import { placeholderCorpus, secretCorpus } from '../../support/secretCorpus';
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
    assert.deepEqual(
      hits.map((h) => ({ ruleId: h.ruleId, line: h.line, column: h.column })),
      [{ ruleId: '@secretlint/secretlint-rule-openai', line: 3, column: 16 }],
    );
    assert.ok(!JSON.stringify(hits).includes(key));
    const { privateKey: pem } = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
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
    const rules = ['@qlp/env-file', '@qlp/hardcoded-secret', '@secretlint/secretlint-rule-openai'];
    assert.deepEqual(found, [{ path: '.env', rules, lines: [1] }]);
    const created = await service.create({ folder });
    assert.equal(created.files, 1);
    assert.deepEqual(created.leftOut, [{ path: '.env', reason: 'secret', rules, lines: [1] }]);
    assert.deepEqual(
      (await service.manifest({ id: created.id })).files.map((f) => f.path),
      ['index.js'],
    );
    const confirmed = await service.create({ folder, includeSecrets: true });
    assert.equal(confirmed.version, 2);
    assert.deepEqual(
      (await service.manifest({ id: created.id })).files.map((f) => f.path),
      ['.env', 'index.js'],
    );
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
    assert.deepEqual(
      exported.leftOut.map((l) => l.path),
      ['config/keys.json'],
    );
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

  it("names the installed secretlint and QLP's rules in its cache key, so an upgrade scans again", () => {
    const version = (pkg: string) => JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    assert.equal(secretScannerId, `secretlint-${version('@secretlint/core')}/preset-recommend-${version('@secretlint/secretlint-rule-preset-recommend')}`);
    assert.equal(likelySecretsScannerId, `${secretScannerId}+qlp-rules-${qlpRulesVersion}`);
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
    assert.equal(cache.scanner, likelySecretsScannerId);
    assert.equal(Object.keys(cache.entries).length, 2);
    assert.ok(Object.keys(cache.entries).every((k) => /^[0-9a-f]{64}\.(txt|js)$/.test(k)));
    assert.ok(!readFileSync(cachePath, 'utf8').includes(key), 'the cache holds no secret');

    // A cache written by another scanner is not trusted: the secret is found again.
    const forged = Object.fromEntries(Object.keys(cache.entries).map((k) => [k, null]));
    writeFileSync(cachePath, JSON.stringify({ scanner: 'some-older-scanner', entries: forged }));
    const fresh = await CapsuleService.open(data, ws);
    assert.equal((await fresh.findSecrets({ ref: { id } })).length, 1);
  });

  it('finds every ordinary secret of the corpus on its line, and never returns the value', async () => {
    const corpus = secretCorpus();
    const missed: string[] = [];
    for (const [path, { text, line }] of Object.entries(corpus)) {
      const hits = await findLikelySecrets(path, text);
      if (!hits.some((h) => h.line === line)) missed.push(`${path}: ${JSON.stringify(hits.map((h) => [h.ruleId, h.line]))}`);
      const value = /(?:=|: |\(')\s*["']?([^"'\s,]{6,})/.exec(text.split('\n')[line - 1])?.[1];
      if (value) assert.ok(!JSON.stringify(hits).includes(value), `${path}: a finding holds the value`);
    }
    assert.deepEqual(missed, []);
    // secretlint's preset alone knows almost none of them: they have no vendor pattern.
    let byPreset = 0;
    for (const [path, { text }] of Object.entries(corpus)) if ((await findSecrets(path, text)).length) byPreset++;
    assert.ok(byPreset <= 3, `the preset alone found ${byPreset}`);
  });

  it('flags no placeholder, reference, type, template or .env.example', async () => {
    const flagged: string[] = [];
    for (const [path, text] of Object.entries(placeholderCorpus)) {
      const hits = await findLikelySecrets(path, text);
      if (hits.length) flagged.push(`${path}: ${JSON.stringify(hits.map((h) => [h.ruleId, h.line]))}`);
    }
    assert.deepEqual(flagged, []);
  });

  it('keeps the whole corpus out of a snapshot and its export, naming each file and line; includeSecrets keeps it all', async () => {
    const ws = scratch();
    const corpus = secretCorpus();
    const tree = Object.fromEntries(Object.entries(corpus).map(([path, { text }]) => [path, text]));
    const folder = writeTree(join(ws, 'app'), { ...tree, ...placeholderCorpus, 'src/index.ts': 'export {};\n' });
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    const found = await service.findSecrets({ folder });
    assert.deepEqual(found.map((f) => f.path).sort(), Object.keys(corpus).sort());
    for (const f of found) assert.ok(f.lines.includes(corpus[f.path].line), `${f.path}: lines ${f.lines}`);

    const created = await service.create({ folder });
    assert.deepEqual(created.leftOut.map((l) => l.path).sort(), Object.keys(corpus).sort());
    assert.deepEqual(created.leftOut.find((l) => l.path === 'src/billing.ts')?.lines, [3]);
    const kept = (await service.manifest({ id: created.id })).files.map((f) => f.path);
    assert.deepEqual(kept.sort(), [...Object.keys(placeholderCorpus), 'src/index.ts'].sort());

    // What the generation pipeline asks for: includeSecrets still means include.
    const all = await service.create({ folder, includeSecrets: true });
    assert.equal((await service.manifest({ id: all.id })).files.length, Object.keys(corpus).length + Object.keys(placeholderCorpus).length + 1);
    const out = join(scratch(), 'app.zip');
    const exported = await service.export({ ref: { id: all.id }, format: 'zip', out });
    assert.deepEqual(exported.leftOut.map((l) => l.path).sort(), Object.keys(corpus).sort());
    const archive = readFileSync(out);
    for (const { text } of Object.values(corpus)) assert.ok(!archive.includes(text), 'a secret reached the export');
    assert.deepEqual((await zipNames(out)).filter((n) => n.startsWith('files/')).length, Object.keys(placeholderCorpus).length + 1);
  });

  it('judges a .env file by its name: the same content elsewhere is not cached as one', async () => {
    const ws = scratch();
    const folder = writeTree(join(ws, 'app'), { '.env.production': 'NODE_ENV=production\n', 'config.production': 'NODE_ENV=production\n' });
    const service = await CapsuleService.open(join(scratch(), 'data'), ws);
    assert.deepEqual(await service.findSecrets({ folder }), [{ path: '.env.production', rules: ['@qlp/env-file'], lines: [1] }]);
    assert.deepEqual(await service.findSecrets({ folder }), [{ path: '.env.production', rules: ['@qlp/env-file'], lines: [1] }]);
  });
});
