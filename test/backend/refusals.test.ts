// A push that could stall the backend is refused before any work that grows with it: a manifest
// of 1,000 paths 2,048 levels deep (4,096 characters each), with a wrong digest and no blobs,
// used to hold the server for 21 s, /healthz included. Now its refusal takes milliseconds and
// /healthz answers meanwhile. The bounds are loose for a busy machine; the figures are printed
// (bench/backendRefusals.ts records them).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminKey, api, databasesUnderTest, startBackendProcess, type BackendProcess } from '../support/backendProcess';
import { deepPaths, manifestWithPaths, median, timeRefusal } from './deepManifest';

for (const database of databasesUnderTest()) {
  describe(`refusals before work over ${database.name}`, { skip: database.skip }, () => {
    let backend: BackendProcess;
    let writer = '';

    before(async () => {
      backend = await startBackendProcess(await database.options());
      writer = (await api(backend.url, adminKey)('/v1/keys', { method: 'POST', json: { name: 'writer', role: 'writer' } })).json.key;
    });
    after(async () => {
      await backend?.stop();
      database.dispose();
    });

    it('refuses 1,000 paths 2,048 levels deep in milliseconds, and /healthz answers meanwhile', async () => {
      const manifest = manifestWithPaths('deep-paths', deepPaths(1000));
      const runs = [];
      for (let i = 0; i < 5; i++) runs.push(await timeRefusal(backend.url, writer, 'deep-paths', manifest));
      for (const run of runs) {
        assert.equal(run.status, 400);
        assert.equal(run.error, 'files/0/path is more than 128 folders deep');
      }
      const refusal = median(runs.map((r) => r.refusalMs));
      const healthz = runs.flatMap((r) => r.healthzMs);
      console.log(
        `# ${database.name}: deep manifest (${(runs[0].bodyBytes / 1e6).toFixed(1)} MB) refused in ${runs.map((r) => r.refusalMs.toFixed(0)).join(', ')} ms (median ${refusal.toFixed(0)}); /healthz meanwhile: ${healthz.length} answers, median ${median(healthz).toFixed(1)} ms, max ${Math.max(...healthz).toFixed(1)} ms`,
      );
      // Targets: < 100 ms and < 50 ms on an idle machine; it took 21 s before.
      assert.ok(refusal < 1000, `the refusal took ${refusal.toFixed(0)} ms`);
      assert.ok(Math.max(...healthz) < 1000, `/healthz waited ${Math.max(...healthz).toFixed(0)} ms`);
      assert.ok(healthz.length >= runs.length, 'a /healthz answer arrived while each refusal was in flight');
    });

    it('refuses too many paths and a path too long by their count and length', async () => {
      const writerApi = api(backend.url, writer);
      const many = manifestWithPaths(
        'many-paths',
        Array.from({ length: 20_001 }, (_, i) => `f${i}`),
      );
      const tooMany = await writerApi('/v1/capsules/many-paths/versions/1', { method: 'PUT', json: many });
      assert.deepEqual([tooMany.status, tooMany.json.error], [400, "the manifest's files list has 20001 entries; at most 20000 are allowed"]);
      const long = manifestWithPaths('long-path', [`${'x'.repeat(4096)}y`]);
      const tooLong = await writerApi('/v1/capsules/long-path/versions/1', { method: 'PUT', json: long });
      assert.deepEqual([tooLong.status, tooLong.json.error], [400, 'files/0/path has 4097 characters; at most 4096 are allowed']);
      // Within the limits, the manifest gets its full check (and here, its wrong digest refused).
      const fine = await writerApi('/v1/capsules/fine-path/versions/1', { method: 'PUT', json: manifestWithPaths('fine-path', [`${'d/'.repeat(127)}f`]) });
      assert.deepEqual([fine.status, fine.json.error], [400, "the manifest's digest does not match its file list"]);
    });
  });
}
