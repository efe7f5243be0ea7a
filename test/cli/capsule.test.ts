// `qlp capsule …` as a process: the documented JSON shapes, exit codes and one-line errors.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, type CliRun } from '../support/runCli';
import { adminKey, api, startBackendProcess } from '../support/backendProcess';
import { craftZip } from '../support/craftArchive';
import { secretCorpus } from '../support/secretCorpus';
import { corruptEveryBlob, fakeOpenAiKey, readTree, sampleProject, scratch, writeTree } from '../support/capsuleFixtures';

function assertOneLineError(run: CliRun, code: number, pattern: RegExp) {
  assert.equal(run.code, code, `exit ${run.code}: ${run.stderr}`);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${run.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(run.stderr, /\bat .+:\d+:\d+/);
}

/** A workspace with a project folder, and `qlp` run in it with its own data folder. */
function workspace() {
  const ws = realpathSync(scratch());
  const home = scratch();
  const folder = sampleProject(join(ws, 'app'));
  const qlp = (args: string[], cwd = ws, env: Record<string, string> = {}) => runCli(['capsule', ...args], { QLP_HOME: home, ...env }, cwd);
  return { ws, home, folder, qlp };
}

const json = (run: CliRun) => {
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
};

describe('qlp capsule', () => {
  it('create --json prints { id, version, files }, and list --json the capsules', async () => {
    const { folder, qlp } = workspace();
    const created = json(await qlp(['create', 'app', '--name', 'My app', '--json']));
    assert.match(created.id, /^my-app-[0-9a-f]{6}$/);
    assert.equal(created.version, 1);
    assert.equal(created.files, Object.keys(readTree(folder)).length);
    assert.equal(created.created, true);
    const again = json(await qlp(['create', 'app', '--json']));
    assert.deepEqual([again.id, again.version, again.created], [created.id, 1, false]);

    const { capsules } = json(await qlp(['list', '--json']));
    assert.equal(capsules.length, 1);
    assert.deepEqual(Object.keys(capsules[0]).slice(0, 5), ['id', 'name', 'version', 'createdAt', 'files']);
    assert.deepEqual([capsules[0].id, capsules[0].name, capsules[0].version, capsules[0].files], [created.id, 'My app', 1, created.files]);
    assert.ok(!Number.isNaN(Date.parse(capsules[0].createdAt)));

    const text = await qlp(['list']);
    assert.match(text.stdout, new RegExp(`^ID\\s+NAME\\s+VERSION[\\s\\S]*${created.id}\\s+My app\\s+1\\s`, 'm'));
  });

  it('finds the store from a subfolder, and creates none where it only reads', async () => {
    const { ws, home, qlp } = workspace();
    json(await qlp(['create', 'app', '--json']));
    assert.equal(json(await qlp(['list', '--json'], join(ws, 'app', 'src'))).capsules.length, 1);
    const elsewhere = realpathSync(scratch());
    assert.deepEqual(json(await qlp(['list', '--json'], elsewhere)).capsules, []);
    assert.equal(readdirSync(join(home, 'workspaces')).length, 1, 'list created a store');
    assert.match((await qlp(['list'], elsewhere)).stdout, /No capsules in this workspace yet/);
  });

  it('show, diff and restore, in JSON and in text', async () => {
    const { folder, qlp } = workspace();
    const { id } = json(await qlp(['create', 'app', '--json']));
    writeFileSync(join(folder, 'src/index.ts'), 'changed\n');
    chmodSync(join(folder, 'README.md'), 0o600);
    json(await qlp(['create', 'app', '--json']));

    const shown = json(await qlp(['show', `${id}@1`, '--json']));
    assert.equal(shown.manifest.version, 1);
    assert.equal(shown.manifest.schemaVersion, 1);
    assert.deepEqual(
      shown.capsule.versions.map((v: { version: number }) => v.version),
      [2, 1],
    );
    assert.match((await qlp(['show', id])).stdout, /Versions:\n {2}\* v2 .+ snapshot · not validated\n {4}v1/);

    const diff = json(await qlp(['diff', `${id}@1`, `${id}@2`, '--json']));
    assert.deepEqual(
      diff.changes.map((c: { status: string; path: string }) => `${c.status} ${c.path}`),
      ['mode README.md', 'modified src/index.ts'],
    );
    assert.equal((await qlp(['diff', `${id}@1`, `${id}@2`])).stdout, `${id}@1 → ${id}@2:\nm README.md (644 → 600)\nM src/index.ts\n`);
    writeTree(folder, { 'extra.txt': 'x' });
    assert.deepEqual(
      json(await qlp(['diff', id, '--json'])).changes.map((c: { path: string }) => c.path),
      ['extra.txt'],
    );

    const restored = json(await qlp(['restore', `${id}@1`, '--json']));
    assert.deepEqual(restored.backup, { version: 3, created: true });
    assert.equal(restored.written, 1);
    assert.equal(restored.deleted, 1);
    assert.ok(!existsSync(join(folder, 'extra.txt')));
    const text = await qlp(['restore', `${id}@3`]);
    assert.match(text.stdout, /^Restored .+ version 3 into .+ \(2 files written, 0 removed\)\. The folder as it was is kept as version 4\.\n$/);
    assert.ok(existsSync(join(folder, 'extra.txt')));
    assert.equal(readTree(folder)['README.md'].mode, 0o600);
  });

  it('exports in each format and imports byte-exact; refuses to overwrite an archive', async () => {
    const { ws, folder, qlp } = workspace();
    const { id } = json(await qlp(['create', 'app', '--json']));
    for (const format of ['zip', 'tar', 'tgz']) {
      const out = join(ws, `app.${format}`);
      const exported = json(await qlp(['export', id, '--format', format, '--out', out, '--json']));
      assert.deepEqual([exported.format, exported.out, exported.leftOut], [format, out, []]);
      const imported = json(await qlp(['import', out, '--out', `copy-${format}`, '--json']));
      assert.equal(imported.out, join(ws, `copy-${format}`));
      assert.deepEqual(readTree(join(ws, `copy-${format}`)), readTree(folder));
    }
    assertOneLineError(
      await qlp(['export', id, '--format', 'zip', '--out', join(ws, 'app.zip')]),
      2,
      /^qlp: .+app\.zip already exists; choose another file name\.$/,
    );
    const inferred = await qlp(['export', id, '--out', 'named.tar.gz']);
    assert.match(inferred.stdout, /^Exported .+ to .+named\.tar\.gz \(\d+ files, .+\)\.\n$/);
    assertOneLineError(await qlp(['export', id, '--out', 'x.rar']), 2, /^qlp: give --format zip, tar or tgz/);
    assertOneLineError(await qlp(['export', id, '--format', 'rar', '--out', 'x.rar']), 2, /^qlp: --format must be zip, tar or tgz, not 'rar'\.$/);
    assertOneLineError(await qlp(['export', id]), 2, /^qlp: say where to write the archive with --out <file>/);
  });

  it('leaves secrets out of snapshots and exports unless --include-secrets, and never prints them', async () => {
    const { ws, folder, qlp } = workspace();
    const key = fakeOpenAiKey();
    writeTree(folder, { '.env': `OPENAI_API_KEY=${key}\n` });
    const created = await qlp(['create', 'app', '--json']);
    assert.deepEqual(
      json(created).leftOut.map((l: { path: string }) => l.path),
      ['.env'],
    );
    assert.equal(
      created.stderr,
      'Left out .env (line 1): it looks like it holds a secret (env-file, hardcoded-secret, openai); pass --include-secrets to keep it in the snapshot.\n',
    );
    const withKey = json(await qlp(['create', 'app', '--include-secrets', '--json']));
    assert.equal(withKey.version, 2);
    const exported = await qlp(['export', `${withKey.id}@2`, '--out', join(ws, 'a.zip')]);
    assert.match(
      exported.stderr,
      /^Left out \.env \(line 1\): it looks like it holds a secret \(env-file, hardcoded-secret, openai\); pass --include-secrets to keep it in the export\.\n$/,
    );
    const included = json(await qlp(['export', `${withKey.id}@2`, '--out', join(ws, 'b.zip'), '--include-secrets', '--json']));
    assert.deepEqual(included.leftOut, []);
    for (const run of [created, exported]) assert.ok(!run.stdout.includes(key) && !run.stderr.includes(key));
  });

  it('keeps ordinary secrets (no vendor pattern) out of a snapshot, one line per file with its lines', async () => {
    const { folder, qlp } = workspace();
    const corpus = secretCorpus();
    writeTree(folder, Object.fromEntries(Object.entries(corpus).map(([path, { text }]) => [path, text])));
    const run = await qlp(['create', 'app', '--json']);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, Object.keys(corpus).length, run.stderr);
    for (const [path, { line }] of Object.entries(corpus)) {
      assert.ok(
        lines.some((l) => l.startsWith(`Left out ${path} (line `) && new RegExp(`\\(line (\\d+, )*${line}[,)]`).test(l)),
        `${path} not named with line ${line}:\n${run.stderr}`,
      );
    }
    const { id } = json(run);
    assert.equal(json(await qlp(['show', id, '--json'])).manifest.files.length, Object.keys(readTree(folder)).length - Object.keys(corpus).length);
    assert.equal(json(await qlp(['create', 'app', '--include-secrets', '--json'])).files, Object.keys(readTree(folder)).length);
  });

  it('pushes a version without its likely secrets unless --include-secrets, naming each file and line', async () => {
    const backend = await startBackendProcess({});
    try {
      const { ws, folder, qlp } = workspace();
      const envText = `DB_PASSWORD=${secretCorpus()['.env'].text.split('=')[1]}`;
      writeTree(folder, { '.env': envText });
      const { id } = json(await qlp(['create', 'app', '--include-secrets', '--json']));
      const env = { QLP_API_KEY: adminKey };
      const admin = api(backend.url, adminKey);
      const envBlob = createHash('sha256').update(envText).digest('hex');
      const missing = async () => (await admin('/v1/blobs/missing', { method: 'POST', json: { sha256s: [envBlob] } })).json.missing;

      const left = await qlp(['push', id, '--server', backend.url], ws, env);
      assert.equal(left.code, 0, left.stderr);
      assert.equal(
        left.stderr,
        'Left out .env (line 1): it looks like it holds a secret (env-file, hardcoded-secret); pass --include-secrets to keep it in the push.\n',
      );
      assert.match(left.stdout, new RegExp(`^Pushed ${id}@1 \\(\\d+ new files sent, .+\\)\\.\n$`));
      assert.deepEqual((await admin(`/v1/capsules/${id}/versions/1`)).json.omitted, [{ path: '.env', reason: 'secret' }]);
      assert.deepEqual(await missing(), [envBlob]);

      writeTree(folder, { 'NEW.md': 'a second version\n' });
      assert.equal(json(await qlp(['create', 'app', '--include-secrets', '--json'])).version, 2);
      const pushed = json(await qlp(['push', `${id}@2`, '--server', backend.url, '--include-secrets', '--json'], ws, env));
      assert.deepEqual([pushed.status, pushed.leftOut], ['pushed', []]);
      assert.deepEqual(await missing(), []);
      assert.ok(!left.stdout.includes(envText.split('=')[1]) && !left.stderr.includes(envText.split('=')[1]), 'the value is never printed');
    } finally {
      await backend.stop();
    }
  });

  it('refuses a hostile archive with exit 2 and one line, writing nothing', async () => {
    const { ws, qlp } = workspace();
    const archive = join(scratch(), 'evil.zip');
    craftZip(archive, [
      { name: 'files/../../../tmp/pwned', data: 'x' },
      { name: 'capsule.json', data: '{}' },
    ]);
    const before = readdirSync(ws);
    assertOneLineError(
      await qlp(['import', archive, '--out', 'evil']),
      2,
      /^qlp: The archive entry "files\/\.\.\/\.\.\/\.\.\/tmp\/pwned" points outside the folder it would unpack into \(zip-slip\)\.$/,
    );
    assert.deepEqual(readdirSync(ws), before);
    assertOneLineError(await qlp(['import', join(ws, 'missing.zip')]), 2, /^qlp: The archive .+missing\.zip does not exist or is not a file\.$/);
  });

  it('refuses a zip whose sizes lie, or whose capsule.json lies, with exit 2 and one line, leaving no folder behind', async () => {
    const { ws, qlp } = workspace();
    const text = 'a line long enough to deflate well\n'.repeat(30);
    const manifest = JSON.stringify({
      schemaVersion: 1,
      id: 'lying-abc123',
      name: 'lying',
      version: 1,
      parentVersion: null,
      createdAt: new Date().toISOString(),
      kind: 'snapshot',
      requirements: null,
      stack: null,
      digest: 'a'.repeat(64),
      files: [],
      models: [],
      usage: null,
      validation: null,
      receipts: [],
      tools: {},
    });
    const before = readdirSync(ws);
    const cases: Array<[string, Parameters<typeof craftZip>[1]]> = [
      [
        'file-short',
        [
          { name: 'files/a.txt', data: text, deflate: true, declaredSize: text.length - 10 },
          { name: 'capsule.json', data: manifest },
        ],
      ],
      [
        'file-long',
        [
          { name: 'files/a.txt', data: text, deflate: true, declaredSize: text.length + 10 },
          { name: 'capsule.json', data: manifest },
        ],
      ],
      ['manifest-short', [{ name: 'capsule.json', data: manifest, deflate: true, declaredSize: manifest.length - 10 }]],
      ['manifest-long', [{ name: 'capsule.json', data: manifest, deflate: true, declaredSize: manifest.length + 10 }]],
    ];
    for (const [name, entries] of cases) {
      const archive = join(scratch(), `${name}.zip`);
      craftZip(archive, entries);
      assertOneLineError(
        await qlp(['import', archive, '--out', 'out']),
        2,
        /^qlp: The zip archive is damaged \((too many|not enough) bytes in the stream.*\)\.$/,
      );
      assert.deepEqual(readdirSync(ws), before, `${name} left something behind`);
    }
    // 1,000 paths of 4,096 characters, 2,048 levels deep each: refused at once.
    const deep = Array.from({ length: 1000 }, (_, i) => ({
      path: `${'d/'.repeat(2046)}${String(i).padStart(4, 'f')}`,
      sha256: 'a'.repeat(64),
      size: 1,
      mode: 420,
    }));
    const archive = join(scratch(), 'deep.zip');
    craftZip(archive, [{ name: 'capsule.json', data: manifest.replace('"files":[]', `"files":${JSON.stringify(deep)}`) }]);
    const started = Date.now();
    assertOneLineError(
      await qlp(['import', archive, '--out', 'out']),
      2,
      /^qlp: The archive's capsule\.json lists a path that is longer than the 1024 bytes a capsule path may have/,
    );
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.deepEqual(readdirSync(ws), before);
  });

  it('reports a corrupt store with exit 3 and one line', async () => {
    const { home, qlp } = workspace();
    const { id } = json(await qlp(['create', 'app', '--json']));
    corruptEveryBlob(home);
    const out = join(scratch(), 'x.zip');
    assertOneLineError(
      await qlp(['export', id, '--out', out]),
      3,
      /^qlp: The stored copy of .+ is corrupt \(its content no longer matches its sha256\); it was not used\./,
    );
    assert.ok(!existsSync(out));
  });

  it('answers bad usage with exit 2 and one line, and shows every subcommand in --help', async () => {
    const { qlp } = workspace();
    assertOneLineError(await qlp([]), 2, /^qlp: name a subcommand: create, list, show, diff, restore, export, import/);
    assertOneLineError(await qlp(['frob']), 2, /^qlp: unknown capsule subcommand 'frob'/);
    assertOneLineError(await qlp(['show', 'Bad@Ref']), 2, /^qlp: 'Bad@Ref' is not a capsule reference/);
    assertOneLineError(await qlp(['show', 'nope-000000']), 2, /^qlp: There is no capsule 'nope-000000' in this workspace\.$/);
    assertOneLineError(await qlp(['create']), 2, /^qlp: name one folder to snapshot/);
    assertOneLineError(await qlp(['create', 'missing-dir']), 2, /^qlp: .+missing-dir does not exist or is not a folder\.$/);
    assertOneLineError(await qlp(['list', '--frob']), 2, /^qlp: unknown option '--frob' for 'capsule list'/);
    const help = await qlp(['--help']);
    assert.equal(help.code, 0);
    for (const sub of ['create', 'list', 'show', 'diff', 'restore', 'export', 'import']) assert.match(help.stdout, new RegExp(`qlp capsule ${sub}\\b`));
  });
});
