// One ledger file, several processes: each reads what the others append (incrementally), a line
// still being written is read once complete, a truncated or replaced file is read again, and the
// editor's usage is pushed within a second of a call made elsewhere.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BudgetExceededError } from '../../../language-server/src/llm/budget';
import { Ledger, localDay } from '../../../language-server/src/llm/ledger';
import { ModelHost } from '../../../language-server/src/llm/modelHost';
import type { LedgerEntry, UsageSummary } from '../../../protocol/llm';
import { repoRoot } from '../../support/paths';
import { FakeModelServer } from '../../support/fakeModelServer';
import { fileCall, ledgerEntry, pricedModel } from './spendFixtures';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());

const entry = ledgerEntry;
const line = (e: LedgerEntry) => `${JSON.stringify(e)}\n`;
const ledgerPath = () => join(mkdtempSync(join(tmpdir(), 'qlp-shared-')), 'ledger.jsonl');

/** Appends an entry from another Node process, through the same Ledger class `qlp` uses. */
function appendFromAnotherProcess(file: string, e: LedgerEntry): Promise<void> {
  const ledgerModule = pathToFileURL(join(repoRoot, 'language-server/src/llm/ledger.ts')).href;
  const script = `const module = await import(${JSON.stringify(ledgerModule)}); const { Ledger } = module.default ?? module; await new Ledger(${JSON.stringify(file)}).append(${JSON.stringify(e)});`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the other process failed (${code}): ${stderr}`))));
  });
}

describe('a ledger shared by processes', () => {
  it("one's append counts in the other's next budget check", async () => {
    const file = ledgerPath();
    const other = new Ledger(file);
    const models = await pricedModel({ baseUrl: server.openaiBaseUrl, perDayUsd: 0.05, ledger: new Ledger(file) });
    assert.equal(await models.ledger.spentOn(localDay(new Date())), 0);
    await other.append(entry({ costUsd: 0.049 }));
    const requests = server.requests.length;
    await assert.rejects(
      models.service.complete(fileCall()),
      (err: unknown) => err instanceof BudgetExceededError && /daily budget of \$0\.0500 \(\$0\.0490 spent today\)/.test(err.message),
    );
    assert.equal(server.requests.length, requests, 'no request was sent');
  });

  it('reads only what was appended, once', async () => {
    const file = ledgerPath();
    const a = new Ledger(file);
    const b = new Ledger(file);
    await a.append(entry({ costUsd: 0.01 }));
    assert.equal((await b.entries()).length, 1);
    await a.append(entry({ costUsd: 0.02 }));
    await b.refresh();
    await b.refresh();
    assert.deepEqual(
      (await b.entries()).map((e) => e.costUsd),
      [0.01, 0.02],
    );
    assert.equal(await b.spentOn(localDay(new Date())), 0.03);
  });

  it('skips a torn last line until it is complete, then reads it', async () => {
    const file = ledgerPath();
    const reader = new Ledger(file);
    const text = line(entry({ costUsd: 0.25, generationId: 'g-torn' }));
    appendFileSync(file, line(entry()));
    appendFileSync(file, text.slice(0, 40));
    assert.equal((await reader.entries()).length, 1);
    assert.equal(reader.skippedLines, 0);
    appendFileSync(file, text.slice(40));
    const entries = await reader.entries();
    assert.deepEqual(
      entries.map((e) => e.costUsd),
      [0.01, 0.25],
    );
    assert.equal(reader.generationTotals('g-torn').costUsd, 0.25);
    assert.equal(reader.skippedLines, 0);
  });

  it('starts a fresh line after a line torn by a crash, and skips that line', async () => {
    const file = ledgerPath();
    const writer = new Ledger(file);
    await writer.append(entry());
    appendFileSync(file, '{"at": "2026-11-26T1'); // the writer crashed mid-line
    await new Ledger(file).append(entry({ costUsd: 0.02 }));
    const again = new Ledger(file);
    assert.deepEqual(
      (await again.entries()).map((e) => e.costUsd),
      [0.01, 0.02],
    );
    assert.equal(again.skippedLines, 1);
  });

  it('reads a truncated file, one rewritten in place and one replaced from the start again', async () => {
    const file = ledgerPath();
    const reader = new Ledger(file);
    writeFileSync(file, line(entry({ costUsd: 1 })) + line(entry({ costUsd: 2 })));
    assert.equal(await reader.spentOn(localDay(new Date())), 3);
    writeFileSync(file, line(entry({ costUsd: 0.5 })));
    assert.deepEqual(
      (await reader.entries()).map((e) => e.costUsd),
      [0.5],
    );
    writeFileSync(file, line(entry({ costUsd: 0.7, model: 'gpt-4.1-nano-with-a-longer-name' })) + line(entry({ costUsd: 0.1 })));
    assert.deepEqual(
      (await reader.entries()).map((e) => e.costUsd),
      [0.7, 0.1],
    );
    const replacement = `${file}.new`;
    writeFileSync(replacement, line(entry({ costUsd: 4 })) + line(entry({ costUsd: 5 })) + line(entry({ costUsd: 6 })));
    renameSync(replacement, file);
    assert.deepEqual(
      (await reader.entries()).map((e) => e.costUsd),
      [4, 5, 6],
    );
  });

  it('reads a ledger written by an older version: no final newline, failures recorded as errors at no cost', async () => {
    const file = ledgerPath();
    const old = { ...entry(), billable: undefined };
    writeFileSync(file, `\n${JSON.stringify(old)}\n${JSON.stringify({ ...old, outcome: 'error', inputTokens: 0, outputTokens: 0, costUsd: 0 })}`);
    const ledger = new Ledger(file);
    assert.deepEqual(
      (await ledger.entries()).map((e) => `${e.outcome}:${e.billable}`),
      ['ok:true', 'failed:false'],
    );
    await ledger.append(entry({ costUsd: 0.03 }));
    assert.equal((await new Ledger(file).entries()).length, 3);
    assert.match(readFileSync(file, 'utf8'), /"outcome":"error"[^\n]*\}\n\{[^\n]*"costUsd":0\.03[^\n]*\}\n$/);
  });

  it("pushes the editor's usage within a second of a call recorded by another process", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qlp-host-'));
    const pushed: Array<{ at: number; summary: UsageSummary }> = [];
    const host = new ModelHost({
      dataDir,
      env: {},
      editorSettings: async () => ({ budget: { perDayUsd: 1, perGenerationUsd: 0 } }),
      editorKey: async () => undefined,
      onUsageChanged: (summary) => pushed.push({ at: Date.now(), summary }),
      onBudgetWarning: () => undefined,
    });
    try {
      await host.ledger.refresh();
      await appendFromAnotherProcess(join(dataDir, 'ledger.jsonl'), entry({ costUsd: 0.42 }));
      const appendedAt = Date.now();
      while (!pushed.length && Date.now() - appendedAt < 1000) await new Promise((r) => setTimeout(r, 10));
      assert.ok(pushed.length, 'usage was pushed within a second');
      assert.equal(pushed[0]!.summary.todayTotals.costUsd, 0.42);
      assert.equal(pushed[0]!.summary.todayTotals.calls, 1);
    } finally {
      host.dispose();
    }
  });

  it('notices appends by polling where no watcher can be set (the folder appears later)', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'qlp-poll-')), 'not-yet');
    const file = join(folder, 'ledger.jsonl');
    const ledger = new Ledger(file);
    let changes = 0;
    ledger.onDidChange(() => changes++);
    const stop = ledger.watch();
    try {
      await new Ledger(file).append(entry());
      const appendedAt = Date.now();
      while (!changes && Date.now() - appendedAt < 1000) await new Promise((r) => setTimeout(r, 10));
      assert.equal(changes, 1);
    } finally {
      stop();
    }
  });
});
