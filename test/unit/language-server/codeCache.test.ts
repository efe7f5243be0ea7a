import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths';

const loader = join(repoRoot, 'language-server', 'src', 'common', 'codeCache.ts');

/** Loads `bundle` through the code cache in a new process, saves, and reports what happened. */
function load(bundle: string, cacheDir: string, env: NodeJS.ProcessEnv = {}): { fromCache: boolean; value: string } {
  const script = `const { loadBundle } = require(${JSON.stringify(loader)}); const b = loadBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)}); b.save(); console.log(JSON.stringify({ fromCache: b.fromCache, value: b.exports.value() }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8' }));
}

function bundleIn(dir: string, text: string): string {
  writeFileSync(join(dir, 'helper.js'), 'module.exports = { where: __dirname };\n');
  const file = join(dir, 'bundle.js');
  writeFileSync(
    file,
    `#!/usr/bin/env node\nconst helper = require('./helper.js');\nexports.value = () => ${JSON.stringify(text)} + ':' + (helper.where === __dirname) + ':' + (module.filename === __filename);\n`,
  );
  return file;
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.v8cache'));

describe('code cache', () => {
  it('compiles a bundle once: the next process runs it from the cache, with require and __dirname as usual', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-code-'));
    const cache = join(dir, 'cache');
    const bundle = bundleIn(dir, 'plain');
    assert.deepEqual(load(bundle, cache), { fromCache: false, value: 'plain:true:true' });
    assert.equal(cacheFiles(cache).length, 1);
    assert.deepEqual(load(bundle, cache), { fromCache: true, value: 'plain:true:true' });
  });

  it('never runs stale code: a rebuilt bundle gets a new entry and the old one is removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-code-'));
    const cache = join(dir, 'cache');
    const bundle = bundleIn(dir, 'first');
    load(bundle, cache);
    const [before] = cacheFiles(cache);
    bundleIn(dir, 'other'); // same length, new content and time
    assert.deepEqual(load(bundle, cache), { fromCache: false, value: 'other:true:true' });
    assert.deepEqual(cacheFiles(cache).length, 1);
    assert.notEqual(cacheFiles(cache)[0], before);
  });

  it('reads text outside ASCII correctly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-code-'));
    const bundle = bundleIn(dir, 'naïve ✓');
    assert.equal(load(bundle, join(dir, 'cache')).value, 'naïve ✓:true:true');
  });

  it('survives a damaged cache file (recompiles and rewrites it) and a cache folder it cannot write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-code-'));
    const cache = join(dir, 'cache');
    const bundle = bundleIn(dir, 'damaged');
    load(bundle, cache);
    writeFileSync(join(cache, cacheFiles(cache)[0]), 'not compiled code');
    assert.deepEqual(load(bundle, cache), { fromCache: false, value: 'damaged:true:true' });
    assert.equal(load(bundle, cache).fromCache, true, 'rewritten by the run that found it damaged');

    const notAFolder = join(dir, 'a-file');
    writeFileSync(notAFolder, '');
    assert.equal(load(bundle, join(notAFolder, 'cache')).value, 'damaged:true:true');
  });

  it("lets code run from the cache import files, cold and warm, through the loader's import", () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-code-'));
    const cache = join(dir, 'cache');
    writeFileSync(join(dir, 'config.mjs'), "export default { answer: 'imported' };\n");
    const bundle = join(dir, 'importer.js');
    // As the ESLint adapter does: the bundle imports with the function it is handed.
    writeFileSync(bundle, 'exports.load = (importModule, url) => importModule(url).then((m) => m.default.answer);\n');
    const script = `const { importOutsideCache, loadBundle } = require(${JSON.stringify(loader)}); const b = loadBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cache)}); b.exports.load(importOutsideCache, ${JSON.stringify(pathToFileURL(join(dir, 'config.mjs')).href)}).then((answer) => { b.save(); console.log(JSON.stringify({ fromCache: b.fromCache, answer })); }, (err) => { console.log(JSON.stringify({ fromCache: b.fromCache, error: err.message })); });`;
    const run = () => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot, encoding: 'utf8' }));
    assert.deepEqual(run(), { fromCache: false, answer: 'imported' });
    assert.deepEqual(run(), { fromCache: true, answer: 'imported' });
  });

  it('QLP_CODE_CACHE=off compiles from source and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-code-'));
    const cache = join(dir, 'cache');
    assert.deepEqual(load(bundleIn(dir, 'off'), cache, { QLP_CODE_CACHE: 'off' }), { fromCache: false, value: 'off:true:true' });
    assert.deepEqual(readdirSync(dir).includes('cache') ? cacheFiles(cache) : [], []);
  });
});
