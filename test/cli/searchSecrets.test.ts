// `qlp search` prints snippets from the index, which holds no secret: neither a fake AWS secret
// access key nor a secret only QLP's rules catch is printed, in text or in JSON; the mask is.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { secretMask } from '../../language-server/src/index/maskSecrets';
import { runCli } from '../support/runCli';
import { leaks, secretFiles, writeFiles } from '../support/secretFiles';

describe('qlp search: snippets never show a secret', () => {
  it('never prints a key, in text or in JSON: the mask stands in its place', async () => {
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'qlp-search-secrets-')));
    const root = join(base, 'ws');
    const { files, awsSecret, signingSecret } = secretFiles();
    writeFiles(root, files);
    const env = { QLP_HOME: join(base, 'home') };
    const printed: string[] = [];
    for (const query of ['aws secret access key for the s3 upload', 'session signing secret']) {
      const text = await runCli(['search', query, '--dir', root], env);
      assert.equal(text.code, 0, text.stderr);
      const json = await runCli(['search', query, '--dir', root, '--json'], env);
      assert.equal(json.code, 0, json.stderr);
      const { results } = JSON.parse(json.stdout) as { results: Array<{ snippet: string }> };
      printed.push(text.stdout, ...results.map((r) => r.snippet));
    }
    const all = printed.join('\n');
    assert.ok(all.includes(`SESSION_SIGNING_SECRET = '${secretMask}'`), all);
    assert.ok(!leaks(all, awsSecret) && !leaks(all, signingSecret), all);
  });
});
