// Hostile model output against the real pipeline: traversal in every format the parsers read,
// absolute paths, links in the target, huge files and endless streams. Whatever the model says,
// nothing is written outside the target folder.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { GenerationEvent } from '../../../protocol/generate';
import { runGeneration } from '../../../language-server/src/generate/generationHost';
import { Ledger } from '../../../language-server/src/llm/ledger';
import { modelSettingsFromEnvironment } from '../../../language-server/src/llm/modelSettings';
import { setUpModels } from '../../../language-server/src/llm/modelSetup';
import { FakeModelServer, type RecordedRequest, type Reply } from '../../support/fakeModelServer';
import { repoRoot, requireBuilt } from '../../support/paths';
import { scratchDir, testSettings } from '../../support/sandboxes';
import { chunks, plan, projectFiles, promptText, scriptedProject } from '../../support/scriptedProject';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());
beforeEach(() => (server.requests.length = 0));

/** Every file under `root` with its size, by path relative to it. */
function tree(root: string): Map<string, number> {
  const found = new Map<string, number>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.set(relative(root, path), entry.isFile() ? statSync(path).size : -1);
    }
  };
  walk(root);
  return found;
}

interface Run {
  error?: Error;
  events: GenerationEvent[];
  target: string;
  outsideChanges: string[];
  written: string[];
}

/** Generates into `<scratch>/workspace/target` and reports what changed outside the target. */
async function hostileRun(responder: (r: RecordedRequest) => Reply, prepare?: (scratch: string, target: string) => void): Promise<Run> {
  const scratch = scratchDir('qlp-hostile-');
  const workspace = join(scratch, 'workspace');
  const target = join(workspace, 'target');
  mkdirSync(workspace);
  mkdirSync(join(scratch, 'outside'));
  writeFileSync(join(scratch, 'outside', 'precious.txt'), 'keep me\n');
  prepare?.(scratch, target);
  const dataDir = join(scratch, 'data');
  const beforeTree = tree(scratch);
  server.respondWith(responder);
  const { settings, keyOf } = modelSettingsFromEnvironment({ QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'hostile' });
  settings.retry = { ...settings.retry, maxAttempts: 1 };
  const ledger = new Ledger(join(dataDir, 'ledger.jsonl'));
  const models = await setUpModels(settings, keyOf, ledger);
  const events: GenerationEvent[] = [];
  let error: Error | undefined;
  await runGeneration(
    { requirements: 'A command-line tool that adds two numbers.', folder: target, stack: 'node-cli', tests: false, allowExisting: true },
    {
      models,
      ledger,
      dataDir,
      workspaceRoot: workspace,
      sandbox: testSettings('bwrap'),
      env: process.env,
      budgetUsd: 0,
      validationWorkerFile: requireBuilt(join(repoRoot, 'dist', 'validateWorker.js')),
    },
    new AbortController().signal,
    (e) => events.push(e),
  ).catch((err: Error) => (error = err));
  const afterTree = tree(scratch);
  const isInside = (path: string) => path.startsWith('workspace/target/') || path.startsWith('data/');
  const outsideChanges = [...afterTree].filter(([path, size]) => !isInside(path) && beforeTree.get(path) !== size).map(([path]) => path);
  for (const path of beforeTree.keys()) if (!afterTree.has(path) && !isInside(path)) outsideChanges.push(`${path} (removed)`);
  assert.equal(readFileSync(join(scratch, 'outside', 'precious.txt'), 'utf8'), 'keep me\n');
  const written = [...afterTree.keys()]
    .filter((p) => p.startsWith('workspace/target/'))
    .map((p) => p.slice('workspace/target/'.length))
    .sort();
  return { ...(error ? { error } : {}), events, target, outsideChanges, written };
}

const planWith = (paths: unknown[]) => ({ ...plan, files: [...plan.files, ...paths.map((path) => ({ path, purpose: 'hostile', kind: 'code' }))] });
const legit = Object.keys(projectFiles).sort();
const notices = (run: Run) =>
  run.events
    .filter((e) => e.kind === 'notice')
    .map((e) => (e.kind === 'notice' ? e.message : ''))
    .join('\n');

describe('hostile plans: every refused path is dropped with a notice, nothing lands outside', () => {
  const cases: Array<{ name: string; path: unknown; planAs?: 'tool' | 'text'; why: RegExp }> = [
    { name: 'parent traversal in a tool call', path: '../escape.js', why: /climbs out/ },
    { name: 'deep traversal inside a folder', path: 'src/../../escape.js', why: /climbs out/ },
    { name: 'backslash traversal in fenced JSON', path: '..\\..\\escape.js', planAs: 'text', why: /climbs out/ },
    { name: 'an absolute path', path: '/tmp/qlp-hostile-absolute.js', why: /absolute/ },
    { name: 'an absolute path in JSON text', path: '/etc/cron.d/qlp', planAs: 'text', why: /absolute/ },
    { name: 'a drive letter', path: 'C:\\Windows\\evil.js', why: /drive/ },
    { name: 'a UNC name', path: '\\\\server\\share\\evil.js', why: /absolute/ },
    { name: 'a home folder', path: '~/.bashrc', why: /home folder/ },
    { name: 'git internals', path: '.git/hooks/pre-commit', why: /\.git/ },
    { name: 'git internals, upper case, in text', path: 'sub/.GIT/config', planAs: 'text', why: /\.git/ },
    { name: 'a device name', path: 'NUL.txt', why: /device/ },
    { name: 'a URL', path: 'file:///etc/passwd', why: /URL/ },
    { name: 'a control character', path: 'src/a.js\u0000.png', why: /control/ },
    { name: 'an alternate data stream', path: 'src/index.js:evil', why: /colon/ },
    { name: 'a folder instead of a file', path: 'src/', why: /folder/ },
    { name: 'not a string', path: { nested: '../x' }, why: /not a string/ },
  ];
  for (const c of cases) {
    it(`drops ${c.name}`, async () => {
      const run = await hostileRun(scriptedProject({ planOverride: planWith([c.path]), planAs: c.planAs ?? 'tool' }));
      assert.equal(run.error, undefined, run.error?.message);
      assert.deepEqual(run.outsideChanges, []);
      assert.deepEqual(run.written, legit);
      assert.match(notices(run), c.why);
    });
  }
});

describe('hostile answers and targets', () => {
  it('ignores files a repair answer names outside the plan (traversal and absolute)', async () => {
    const base = scriptedProject();
    const run = await hostileRun((request) => {
      if (promptText(request).includes('The project was checked and has problems')) {
        return {
          text: chunks(
            '```../escape.js\nboom\n```\n```/tmp/qlp-hostile-abs.js\nboom\n```\n```src/index.js\nexport function add(a, b) {\n  return a + b;\n}\n```\n',
          ),
        };
      }
      // A lint error makes the first verification fail, so a repair turn happens.
      if (/\nWrite src\/index.js \(/.test(promptText(request)))
        return { text: chunks('```src/index.js\nexport function add(a, b) {\n  return a + b\n}\nconst unused = eval("1");\n```\n') };
      return base(request);
    });
    assert.ok(
      server.requests.some((r) => promptText(r).includes('The project was checked and has problems')),
      'a repair turn happened',
    );
    assert.match(notices(run), /not a planned file/);
    assert.deepEqual(run.outsideChanges, []);
    assert.ok(run.written.includes('src/index.js'));
    assert.ok(!run.written.some((p) => p.includes('escape')));
  });

  it('writes a planned path only, whatever path a file answer announces', async () => {
    const base = scriptedProject();
    const run = await hostileRun((request) => {
      if (/\nWrite README.md \(/.test(promptText(request))) return { text: chunks('```../../outside/precious.txt\npwned\n```\n') };
      return base(request);
    });
    assert.deepEqual(run.outsideChanges, []);
    assert.equal(readFileSync(join(run.target, 'README.md'), 'utf8'), 'pwned\n');
  });

  it('refuses to write through a folder link in the target, and writes nothing', async () => {
    const run = await hostileRun(scriptedProject(), (scratch, target) => {
      mkdirSync(target);
      symlinkSync(join(scratch, 'outside'), join(target, 'src'));
    });
    assert.match(run.error?.message ?? '', /symbolic link/);
    assert.deepEqual(run.outsideChanges, []);
    assert.deepEqual(run.written, ['src']);
  });

  it('refuses to replace a file link in the target', async () => {
    const run = await hostileRun(scriptedProject(), (scratch, target) => {
      mkdirSync(target);
      symlinkSync(join(scratch, 'outside', 'precious.txt'), join(target, 'README.md'));
    });
    assert.match(run.error?.message ?? '', /symbolic link/);
    assert.deepEqual(run.outsideChanges, []);
  });

  it('stops an endless stream at the size cap and marks only that file failed', async () => {
    const base = scriptedProject();
    const run = await hostileRun((request) => {
      if (/\nWrite README.md \(/.test(promptText(request))) return { text: ['```README.md\n', ...Array.from({ length: 800 }, () => 'x'.repeat(1024))] };
      return base(request);
    });
    assert.equal(run.error, undefined, run.error?.message);
    assert.deepEqual(run.outsideChanges, []);
    assert.ok(!run.written.includes('README.md'));
    assert.ok(run.events.some((e) => e.kind === 'file' && e.path === 'README.md' && e.state === 'failed' && /ran past/.test(e.message ?? '')));
  });

  it('refuses a huge file that fits the stream cap but not the file cap', async () => {
    const base = scriptedProject();
    const run = await hostileRun((request) => {
      if (/\nWrite README.md \(/.test(promptText(request)))
        return { text: ['```README.md\n', ...Array.from({ length: 300 }, () => `${'y'.repeat(1023)}\n`), '```\n'] };
      return base(request);
    });
    assert.deepEqual(run.outsideChanges, []);
    assert.ok(run.events.some((e) => e.kind === 'file' && e.path === 'README.md' && e.state === 'failed' && /over the .*limit/.test(e.message ?? '')));
  });

  it('caps a plan of thousands of files and keeps duplicates and clashes out', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `gen/file${i}.js`);
    const run = await hostileRun((request) => {
      if (promptText(request).includes('Plan the project')) {
        return {
          text: [],
          toolCalls: [{ name: 'write_plan', args: [JSON.stringify(planWith(['README.MD', 'src/index.js/inner.js', ...many]))] }],
          finish: 'tool_calls',
        };
      }
      return { text: ['```\nexport const x = 1;\n```\n'] };
    });
    assert.deepEqual(run.outsideChanges, []);
    assert.match(notices(run), /twice/);
    assert.match(notices(run), /as a file and a folder/);
    assert.match(notices(run), /only the first 60/);
    assert.equal(run.written.length, 60);
  });
});
