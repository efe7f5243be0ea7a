// "Ask QLP to fix" through the real model layer and the loopback server.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixFindings } from '../../../language-server/src/generate/fixFindings';
import { LiveTurns } from '../../../language-server/src/generate/turns';
import { Ledger } from '../../../language-server/src/llm/ledger';
import { modelSettingsFromEnvironment } from '../../../language-server/src/llm/modelSettings';
import { setUpModels } from '../../../language-server/src/llm/modelSetup';
import { FakeModelServer } from '../../support/fakeModelServer';
import { promptText } from '../../support/scriptedProject';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());

async function turns() {
  const { settings, keyOf } = modelSettingsFromEnvironment({ QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'fixer' });
  settings.retry = { ...settings.retry, maxAttempts: 1 };
  const { service } = await setUpModels(settings, keyOf, new Ledger(join(mkdtempSync(join(tmpdir(), 'qlp-fix-')), 'ledger.jsonl')));
  return new LiveTurns(service, 'fix-test');
}

const broken = 'const total: number = "3";\nexport default total;\n';
const request = { path: 'src/total.ts', content: broken, findings: ["1:7 error typescript TS2322: Type 'string' is not assignable to type 'number'."] };

describe('fixFindings', () => {
  it('sends the file and its findings and returns the corrected file from the fenced answer', async () => {
    server.requests.length = 0;
    server.respondWith(() => ({ text: ['Here:\n```src/total.ts\nconst total: number = 3;\n', 'export default total;\n```\n'] }));
    const result = await fixFindings(request, await turns(), 'T0', new AbortController().signal);
    assert.equal(result.content, 'const total: number = 3;\nexport default total;\n');
    assert.equal(result.model, 'local:fixer');
    const prompt = promptText(server.requests[0]!);
    assert.match(prompt, /TS2322/);
    assert.ok(prompt.includes(broken.trimEnd()));
  });

  it('refuses a cut-off answer, an empty answer and a file too large, each in one sentence', async () => {
    server.respondWith(() => ({ text: ['```src/total.ts\nconst total'], finish: 'length' }));
    await assert.rejects(fixFindings(request, await turns(), 'T0', new AbortController().signal), /cut off; nothing was changed/);
    server.respondWith(() => ({ text: [''] }));
    await assert.rejects(fixFindings(request, await turns(), 'T0', new AbortController().signal), /no file/);
    await assert.rejects(fixFindings({ ...request, content: 'x'.repeat(600 * 1024) }, await turns(), 'T0', new AbortController().signal), /over 512 KB/);
  });
});
