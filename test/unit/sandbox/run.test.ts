// Real runs in both sandboxes: passing and failing projects give the right status and counts,
// receipts are reproducible, dependencies install once (scripts off) and come from the cache
// after, and cancelling stops the run at once with nothing left behind.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestCounts } from '../../../protocol/sandbox';
import { DockerEngine } from '../../../language-server/src/machine/dockerEngine';
import { DockerSandbox, runLabel } from '../../../language-server/src/sandbox/docker';
import { ProjectTestRunner, runProjectTests } from '../../../language-server/src/sandbox/runTests';
import { repoRoot } from '../../support/paths';
import { sandboxEnv, sandboxKinds, scratchDir, testSettings, testStorage } from '../../support/sandboxes';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'sandbox', name);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const pick = (t: TestCounts | null) => t && { passed: t.passed, failed: t.failed, skipped: t.skipped, source: t.source };

/** A Node project with a local dependency whose postinstall script would leave a mark. */
function projectWithDependency(): string {
  const dir = join(scratchDir(), 'with-deps');
  mkdirSync(join(dir, 'vendor', 'tiny-lib'), { recursive: true });
  mkdirSync(join(dir, 'test'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'with-deps', version: '1.0.0', scripts: { test: 'node --test' }, dependencies: { 'tiny-lib': 'file:./vendor/tiny-lib' } }),
  );
  writeFileSync(
    join(dir, 'vendor', 'tiny-lib', 'package.json'),
    JSON.stringify({
      name: 'tiny-lib',
      version: '1.0.0',
      main: 'index.js',
      scripts: { postinstall: "node -e \"require('fs').writeFileSync(require('path').join(process.env.INIT_CWD, 'node_modules', 'POSTINSTALL-RAN'), 'x')\"" },
    }),
  );
  writeFileSync(join(dir, 'vendor', 'tiny-lib', 'index.js'), 'exports.double = (n) => n * 2;\n');
  writeFileSync(
    join(dir, 'test', 'lib.test.js'),
    "const test = require('node:test');\nconst assert = require('node:assert');\ntest('doubles', () => assert.equal(require('tiny-lib').double(21), 42));\n",
  );
  return dir;
}

/** A loopback npm registry serving one package, counting the requests it gets. */
async function startRegistry(): Promise<{ url: string; requests: string[]; server: Server }> {
  const pkgDir = join(scratchDir(), 'package');
  mkdirSync(pkgDir);
  writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: 'tiny-remote', version: '1.0.0', main: 'index.js' }));
  writeFileSync(join(pkgDir, 'index.js'), 'exports.answer = 42;\n');
  const tgz = join(pkgDir, '..', 'tiny-remote-1.0.0.tgz');
  execFileSync('tar', ['czf', tgz, '-C', join(pkgDir, '..'), 'package']);
  const tarball = readFileSync(tgz);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const { port } = server.address() as { port: number };
    if (req.url === '/tiny-remote') {
      const shasum = createHash('sha1').update(tarball).digest('hex');
      const version = {
        name: 'tiny-remote',
        version: '1.0.0',
        main: 'index.js',
        dist: { tarball: `http://127.0.0.1:${port}/tiny-remote/-/tiny-remote-1.0.0.tgz`, shasum },
      };
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ name: 'tiny-remote', 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': version } }));
    } else if (req.url === '/tiny-remote/-/tiny-remote-1.0.0.tgz') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(tarball);
    } else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, requests, server };
}

for (const kind of sandboxKinds) {
  describe(`${kind} sandbox: test runs`, { timeout: 300_000 }, () => {
    const storageDir = testStorage();

    const cases: Array<[string, 'passed' | 'failed', { passed: number; failed: number; skipped: number }, string]> = [
      ['node-pass', 'passed', { passed: 3, failed: 0, skipped: 1 }, 'node'],
      ['node-fail', 'failed', { passed: 2, failed: 1, skipped: 1 }, 'node'],
      ['python-pytest-pass', 'passed', { passed: 5, failed: 0, skipped: 0 }, 'python'],
      ['python-pytest-fail', 'failed', { passed: 4, failed: 1, skipped: 0 }, 'python'],
      ['python-unittest', 'passed', { passed: 2, failed: 0, skipped: 1 }, 'python'],
    ];
    for (const [name, status, tests, stack] of cases) {
      it(`${name}: ${status} with ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped`, async (t) => {
        const env = await sandboxEnv(kind, t);
        if (!env) return;
        const result = await runProjectTests(fixture(name), { settings: testSettings(kind), storageDir, env });
        assert.equal(result.status, status, `${result.error ?? ''}\n${result.stdout}\n${result.stderr}`);
        assert.deepEqual(pick(result.tests), { ...tests, source: 'junit' });
        assert.equal(result.cases?.length, tests.passed + tests.failed + tests.skipped);
        assert.deepEqual(result.receipt.cases, result.cases);
        assert.equal(result.exitCode, status === 'passed' ? 0 : 1);
        assert.equal(result.sandbox, kind);
        assert.equal(result.receipt.stack, stack);
        assert.equal(result.timedOut, false);
        assert.equal(result.oomKilled, false);
        assert.ok(result.coverage && result.coverage.linesPct > 50, `coverage: ${JSON.stringify(result.coverage)}`);
      });
    }

    it('gives reproducible receipts: same inputs, same input hash; logs hashed as they were', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const copy = join(scratchDir(), 'copy');
      cpSync(fixture('node-pass'), copy, { recursive: true });
      const [a, b] = [
        await runProjectTests(fixture('node-pass'), { settings: testSettings(kind), storageDir, env }),
        await runProjectTests(copy, { settings: testSettings(kind), storageDir, env }),
      ];
      assert.equal(a.receipt.inputHash, b.receipt.inputHash);
      assert.deepEqual(a.receipt.files, b.receipt.files);
      assert.deepEqual(
        a.receipt.files.map((f) => f.path),
        ['cart.js', 'package.json', 'test/cart.test.js'],
      );
      const phase = a.receipt.phases.at(-1)!;
      assert.equal(phase.phase, 'test');
      assert.equal(phase.command, a.command);
      assert.equal(phase.network, false);
      assert.equal(phase.stdout.cutBytes, 0);
      assert.equal(phase.stdout.sha256, sha(a.stdout));
      assert.equal(a.receipt.sandbox, kind);
      assert.equal(a.receipt.environment.image, kind === 'docker' ? a.receipt.environment.image : 'host /usr (read-only) + skeleton /etc');
      if (kind === 'docker') assert.match(a.receipt.environment.imageId ?? '', /^sha256:[0-9a-f]{64}$/);
      assert.match(a.receipt.environment.runtime, kind === 'docker' ? /^docker \d+\./ : /^bubblewrap \d+\./);
      writeFileSync(join(copy, 'cart.js'), '// changed\n', { flag: 'a' });
      const changed = await runProjectTests(copy, { settings: testSettings(kind), storageDir, env });
      assert.notEqual(changed.receipt.inputHash, a.receipt.inputHash);
    });

    it('installs dependencies once with lifecycle scripts off, then mounts them read-only from the cache', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const project = projectWithDependency();
      const first = await runProjectTests(project, { settings: testSettings(kind), storageDir, env });
      assert.equal(first.status, 'passed', `${first.error ?? ''}\n${first.stdout}\n${first.stderr}`);
      assert.deepEqual(pick(first.tests), { passed: 1, failed: 0, skipped: 0, source: 'junit' });
      assert.equal(first.receipt.dependencies?.from, 'install');
      const install = first.receipt.phases.find((p) => p.phase === 'install');
      assert.equal(install?.command, 'npm install --ignore-scripts --no-audit --no-fund --no-save --offline');
      assert.equal(install?.network, false);
      const depsDirs = readdirSync(join(storageDir, 'sandbox', 'deps')).map((d) => join(storageDir, 'sandbox', 'deps', d, 'out'));
      assert.ok(
        depsDirs.some((d) => lstatSync(join(d, 'tiny-lib'), { throwIfNoEntry: false })?.isSymbolicLink()),
        'the install put tiny-lib in the cache',
      );
      assert.ok(
        depsDirs.every((d) => !existsSync(join(d, 'POSTINSTALL-RAN'))),
        'a lifecycle script ran during the install',
      );
      const second = await runProjectTests(project, { settings: testSettings(kind), storageDir, env });
      assert.equal(second.status, 'passed');
      assert.deepEqual(second.receipt.dependencies, { from: 'cache', key: first.receipt.dependencies?.key });
      assert.ok(!second.receipt.phases.some((p) => p.phase === 'install'));
    });

    describe('network for installs', () => {
      let registry: Awaited<ReturnType<typeof startRegistry>>;
      before(async () => {
        registry = await startRegistry();
      });
      after(() => new Promise<void>((resolve) => registry.server.close(() => resolve())));

      /** A project that depends on tiny-remote from the loopback registry; its test also dials the registry. */
      const project = () => {
        const dir = join(scratchDir(), `remote-${Math.random().toString(36).slice(2)}`);
        mkdirSync(dir);
        writeFileSync(join(dir, '.npmrc'), `registry=${registry.url}\n`);
        writeFileSync(
          join(dir, 'package.json'),
          JSON.stringify({ name: 'remote', scripts: { test: 'node --test' }, dependencies: { 'tiny-remote': '1.0.0' } }),
        );
        writeFileSync(
          join(dir, 'remote.test.js'),
          `const test = require('node:test'); const assert = require('node:assert');
test('uses the installed package', () => assert.equal(require('tiny-remote').answer, 42));
test('has no network while testing', async () => {
  const reached = await fetch('${registry.url}tiny-remote').then(() => true, () => false);
  assert.equal(reached, false);
});\n`,
        );
        return dir;
      };

      it('installs from a registry only when the user allowed network for installs; tests never have network', async (t) => {
        const env = await sandboxEnv(kind, t);
        if (!env) return;
        const offline = await runProjectTests(project(), { settings: testSettings(kind), storageDir, env });
        assert.equal(offline.status, 'error');
        assert.match(offline.error ?? '', /^Installing the dependencies failed \(exit \d+\); see stderr\.$/);
        assert.equal(offline.receipt.phases[0].network, false);
        assert.equal(registry.requests.length, 0, 'the registry was reached without network');

        const online = await runProjectTests(project(), { settings: testSettings(kind, {}, { allowNetworkForInstall: true }), storageDir, env });
        assert.equal(online.status, 'passed', `${online.error ?? ''}\n${online.stdout}\n${online.stderr}`);
        assert.deepEqual(pick(online.tests), { passed: 2, failed: 0, skipped: 0, source: 'junit' });
        assert.deepEqual(
          online.receipt.phases.map((p) => [p.phase, p.network]),
          [
            ['install', true],
            ['test', false],
          ],
        );
        assert.ok(registry.requests.includes('/tiny-remote/-/tiny-remote-1.0.0.tgz'), `requests: ${registry.requests.join(', ')}`);
        assert.ok(!registry.requests.slice(2).length, `the tests reached the registry: ${registry.requests.join(', ')}`);
      });
    });

    if (kind === 'docker') {
      it('removes containers a QLP process that died mid-run left behind', async (t) => {
        const env = await sandboxEnv(kind, t);
        if (!env) return;
        const sandbox = new DockerSandbox(env.DOCKER_HOST);
        const image = (await sandbox.prepare({})).image;
        const engine = await DockerEngine.connect(env.DOCKER_HOST);
        const orphan = await engine.createContainer({
          image,
          argv: ['/bin/sh', '-c', 'sleep 300'],
          env: {},
          user: '65432:65432',
          workingDir: '/',
          binds: [{ hostPath: '/usr', target: '/usr', readOnly: true }],
          tmpfs: {},
          network: 'none',
          memoryBytes: 64 * 1024 * 1024,
          nanoCpus: 1e8,
          pids: 16,
          labels: { [runLabel]: 'run', [`${runLabel}.pid`]: '999999999' },
        });
        await orphan.start();
        const result = await runProjectTests(fixture('node-pass'), { settings: testSettings(kind), storageDir, env });
        assert.equal(result.status, 'passed');
        const left = await engine.containersLabelled({ [runLabel]: 'run', [`${runLabel}.pid`]: '999999999' });
        assert.deepEqual(left, [], 'the orphaned container is still there');
      });
    }

    it("reuses one sandbox across a repair loop's runs, each seeing the project as it is now", async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const project = join(scratchDir(), 'repair');
      cpSync(fixture('node-fail'), project, { recursive: true });
      const runner = new ProjectTestRunner({ settings: testSettings(kind), storageDir, env, reuse: true });
      try {
        const broken = await runner.run(project);
        assert.equal(broken.status, 'failed');
        rmSync(project, { recursive: true });
        cpSync(fixture('node-pass'), project, { recursive: true });
        const repaired = await runner.run(project);
        assert.equal(repaired.status, 'passed', `${repaired.stdout}\n${repaired.stderr}`);
        assert.deepEqual(pick(repaired.tests), { passed: 3, failed: 0, skipped: 1, source: 'junit' });
        assert.notEqual(repaired.receipt.inputHash, broken.receipt.inputHash);
      } finally {
        await runner.close();
      }
      if (kind === 'docker') {
        const engine = await DockerEngine.connect(env.DOCKER_HOST);
        const mine = (await engine.containersLabelled({ [runLabel]: 'run' })).filter((c) => c.labels[`${runLabel}.pid`] === String(process.pid));
        assert.deepEqual(mine, [], 'close() left the warm container');
      }
    });

    it('stops at once when cancelled, leaving nothing running', async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const project = join(scratchDir(), 'slow');
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ scripts: { test: 'node --test' } }));
      writeFileSync(join(project, 'slow.test.js'), "require('node:test')('waits', () => new Promise((r) => setTimeout(r, 60000)));\n");
      const controller = new AbortController();
      const started = Date.now();
      const running = runProjectTests(
        project,
        { settings: testSettings(kind), storageDir, env },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.kind === 'phase' && p.phase === 'test') setTimeout(() => controller.abort(), 1500);
          },
        },
      );
      const result = await running;
      assert.equal(result.status, 'error');
      assert.equal(result.error, 'The test run was cancelled.');
      assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
      if (kind === 'docker') {
        const engine = await DockerEngine.connect(env.DOCKER_HOST);
        const mine = (await engine.containersLabelled({ [runLabel]: 'run' })).filter((c) => c.labels[`${runLabel}.pid`] === String(process.pid));
        assert.deepEqual(mine, []);
      } else {
        const groups = readdirSync('/sys/fs/cgroup/pids/qlp-sandbox').filter((g) => g.startsWith(`run-${process.pid}-`));
        assert.deepEqual(groups, []);
      }
    });
  });
}
