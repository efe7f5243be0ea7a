// The capsule requests of the bundled language server, over stdio like any LSP client: the store
// is the one the command line uses for the same workspace, long requests report progress and can
// be cancelled, and failures arrive as one sentence.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { CancellationTokenSource, ProgressType, ResponseError } from 'vscode-jsonrpc/node';
import { initializeParams, spawnServer, type LspProcess } from '../support/lspProcess';
import { runCli } from '../support/runCli';
import { corruptEveryBlob, readTree, sampleProject, scratch, writeTree } from '../support/capsuleFixtures';

describe('language server: capsules', () => {
  let server: LspProcess | undefined;
  afterEach(() => {
    server?.child.kill('SIGKILL');
    server = undefined;
  });

  async function start(workspace: string | null, home = scratch()) {
    server = spawnServer({ PATH: process.env.PATH, HOME: process.env.HOME, QLP_HOME: home });
    const folders = workspace ? [{ uri: pathToFileURL(workspace).href, name: 'ws' }] : null;
    await server.connection.sendRequest('initialize', { ...initializeParams(), workspaceFolders: folders });
    await server.connection.sendNotification('initialized', {});
    const request = <R>(method: string, params: unknown, source?: CancellationTokenSource) =>
      source ? server!.connection.sendRequest<R>(method, params, source.token) : server!.connection.sendRequest<R>(method, params);
    return { home, request };
  }

  it('snapshots, lists, reads and exports; the command line sees the same capsules', async () => {
    const ws = realpathSync(scratch());
    const folder = sampleProject(join(ws, 'app'));
    const { home, request } = await start(ws);
    const created = await request<{ id: string; version: number; files: number; created: boolean }>('qlp/capsule/create', { folder });
    assert.deepEqual([created.version, created.created], [1, true]);

    const { capsules } = await request<{ capsules: Array<{ id: string; folder: string; versions: Array<{ validation: null; files: number }> }> }>(
      'qlp/capsule/list',
      {},
    );
    assert.equal(capsules.length, 1);
    assert.equal(capsules[0].folder, folder);
    assert.equal(capsules[0].versions[0].validation, null);
    assert.deepEqual(await request('qlp/capsule/readFile', { id: created.id, version: 1, path: 'src/index.ts' }), { text: 'export const answer = 42;\n' });
    const binary = await request<{ binary: boolean; size: number }>('qlp/capsule/readFile', { id: created.id, version: 1, path: 'assets/logo.bin' });
    assert.deepEqual([binary.binary, binary.size], [true, 70_000]);

    const cli = await runCli(['capsule', 'list', '--json'], { QLP_HOME: home }, join(ws, 'app', 'src'));
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(
      JSON.parse(cli.stdout).capsules.map((c: { id: string }) => c.id),
      [created.id],
    );

    const out = join(scratch(), 'app.tar.gz');
    const exported = await request<{ files: number; out: string }>('qlp/capsule/export', { ref: { id: created.id }, format: 'tgz', out });
    assert.equal(exported.out, out);
    assert.ok(existsSync(out));
  });

  it('reports work-done progress for an export, and cancelling it leaves no archive', async () => {
    const ws = realpathSync(scratch());
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 30; i++) files[`blob-${i}.bin`] = randomBytes(1024 * 1024);
    const folder = writeTree(join(ws, 'big'), files);
    const { request } = await start(ws);
    const { id } = await request<{ id: string }>('qlp/capsule/create', { folder });

    const seen: Array<{ kind: string; percentage?: number }> = [];
    server!.connection.onProgress(new ProgressType<{ kind: string; percentage?: number }>(), 'export-1', (value) => seen.push(value));
    await request('qlp/capsule/export', { ref: { id }, format: 'zip', out: join(scratch(), 'big.zip'), workDoneToken: 'export-1' });
    assert.equal(seen[0]?.kind, 'begin');
    assert.equal(seen.at(-1)?.kind, 'end');
    assert.ok(
      seen.some((v) => v.kind === 'report' && (v.percentage ?? 0) > 0),
      JSON.stringify(seen),
    );

    const outDir = scratch();
    const source = new CancellationTokenSource();
    server!.connection.onProgress(new ProgressType<{ kind: string }>(), 'export-2', () => source.cancel());
    const cancelled = request('qlp/capsule/export', { ref: { id }, format: 'tar', out: join(outDir, 'big.tar'), workDoneToken: 'export-2' }, source);
    await assert.rejects(cancelled, (err: ResponseError<unknown>) => err.code === -32800);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(readdirSync(outDir), []);
  });

  it('answers bad input and a corrupt store with one sentence, and keeps serving', async () => {
    const ws = realpathSync(scratch());
    const folder = writeTree(join(ws, 'p'), { 'a.txt': 'a' });
    const { home, request } = await start(ws);
    await assert.rejects(request('qlp/capsule/show', { id: 'missing-000000' }), (err: ResponseError<{ kind: string }>) => {
      assert.equal(err.message, "There is no capsule 'missing-000000' in this workspace.");
      assert.equal(err.data?.kind, 'CapsuleInputError');
      return true;
    });
    await assert.rejects(request('qlp/capsule/export', { ref: { id: 'x-1' }, format: 'rar', out: '/tmp/x' }), /'rar' is not an archive format/);
    const { id } = await request<{ id: string }>('qlp/capsule/create', { folder });
    corruptEveryBlob(home);
    await assert.rejects(request('qlp/capsule/readFile', { id, version: 1, path: 'a.txt' }), (err: ResponseError<{ kind: string }>) => {
      assert.match(err.message, /^The stored copy of a\.txt in .+@1 is corrupt/);
      assert.equal(err.data?.kind, 'CorruptStoreError');
      return true;
    });
    assert.equal((await request<{ capsules: unknown[] }>('qlp/capsule/list', {})).capsules.length, 1);
  });

  it('asks for a folder when VS Code has none open', async () => {
    const { request } = await start(null);
    await assert.rejects(request('qlp/capsule/list', {}), /Open a folder in VS Code to use capsules\./);
  });

  it('restores a version, keeping the current state as a new version', async () => {
    const ws = realpathSync(scratch());
    const folder = writeTree(join(ws, 'p'), { 'a.txt': 'one' });
    const { request } = await start(ws);
    const { id } = await request<{ id: string }>('qlp/capsule/create', { folder });
    writeFileSync(join(folder, 'a.txt'), 'two');
    mkdirSync(join(folder, 'new'));
    writeFileSync(join(folder, 'new', 'b.txt'), 'b');
    const restored = await request<{ backup: { version: number; created: boolean } }>('qlp/capsule/restore', { ref: { id, version: 1 } });
    assert.deepEqual(restored.backup, { version: 2, created: true });
    assert.deepEqual(Object.keys(readTree(folder)), ['a.txt']);
    const diff = await request<{ changes: Array<{ path: string; status: string }> }>('qlp/capsule/diff', { from: { id, version: 2 }, to: 'folder' });
    assert.deepEqual(
      diff.changes.map((c) => `${c.status} ${c.path}`),
      ['modified a.txt', 'removed new/b.txt'],
    );
  });
});
