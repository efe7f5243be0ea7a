// Hostile projects in both sandboxes: each attack runs as a project's test script and reports
// what it saw; the tests check the machine's side too (listeners, files, processes). Limits are
// small, timeouts short, and every attack bounded by itself (1 GB of memory, 2048 processes, 256 MB
// of writes, a minute of spinning), so a broken sandbox fails the tests without wrecking the machine.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SandboxLimits, TestRunResult } from '../../../protocol/sandbox';
import { ProjectTestRunner, runProjectTests } from '../../../language-server/src/sandbox/runTests';
import { nodeTestReporters } from '../../../language-server/src/sandbox/stackNode';
import { sandboxUid } from '../../../language-server/src/sandbox/types';
import { repoRoot } from '../../support/paths';
import { sandboxEnv, sandboxKinds, scratchDir, testSettings, testStorage } from '../../support/sandboxes';

const fakeKey = 'sk-hostile-test-0123456789abcdef';

/** A project whose test script is `attack`, plus any files `extra` makes. */
function hostileProject(attack: string, extra?: (dir: string) => void): string {
  const dir = join(scratchDir('qlp-hostile-'), 'project');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'hostile', scripts: { test: 'node attack.js' } }));
  writeFileSync(join(dir, 'attack.js'), `const report = (r) => console.log('RESULT ' + JSON.stringify(r));\n${attack}\n`);
  extra?.(dir);
  return dir;
}

/** What the attack reported (its last RESULT line). */
function reported(result: TestRunResult): any {
  const line = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('RESULT '))
    .pop();
  assert.ok(line, `the attack reported nothing; status ${result.status}\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line.slice('RESULT '.length));
}

/** Processes on this machine whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) found.push(Number(pid));
    } catch {
      // gone
    }
  }
  return found;
}

/** Processes on this machine running as the sandbox user (zombies are dead: not counted). */
function sandboxUserProcesses(): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        return new RegExp(`^Uid:\\s+${sandboxUid}\\b`, 'm').test(status) && !/^State:\s+Z/m.test(status);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const hostAddress = () =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '127.0.0.1';

for (const kind of sandboxKinds) {
  describe(`${kind} sandbox contains hostile code`, { timeout: 300_000 }, () => {
    const storageDir = testStorage();
    let listener: Server;
    let port = 0;
    let connections = 0;

    before(async () => {
      process.env.OPENAI_API_KEY = fakeKey;
      listener = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => listener.listen(0, '0.0.0.0', resolve));
      port = (listener.address() as { port: number }).port;
    });
    after(() => new Promise<void>((resolve) => listener.close(() => resolve())));

    const run = async (t: Parameters<typeof sandboxEnv>[1], project: string, limits: Partial<SandboxLimits> = {}) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return undefined;
      return runProjectTests(project, {
        settings: testSettings(kind, { timeoutSeconds: 20, ...limits }),
        storageDir,
        env: { ...env, OPENAI_API_KEY: fakeKey },
      });
    };

    it('runs as the sandbox user with no capabilities, no new privileges and a read-only root', async (t) => {
      const result = await run(
        t,
        hostileProject(`
        const fs = require('fs');
        const status = fs.readFileSync('/proc/self/status', 'utf8');
        let rootWritable = true; try { fs.writeFileSync('/pwned', 'x'); } catch { rootWritable = false; }
        report({ uid: process.getuid(), gid: process.getgid(), capEff: /CapEff:\\s+(\\w+)/.exec(status)[1], capBnd: /CapBnd:\\s+(\\w+)/.exec(status)[1], noNewPrivs: /NoNewPrivs:\\s+(\\d)/.exec(status)[1], seccomp: /Seccomp:\\s+(\\d)/.exec(status)[1], rootWritable });`),
      );
      if (!result) return;
      assert.deepEqual(reported(result), {
        uid: sandboxUid,
        gid: sandboxUid,
        capEff: '0000000000000000',
        capBnd: '0000000000000000',
        noNewPrivs: '1',
        seccomp: '2',
        rootWritable: false,
      });
    });

    it('cannot reach kernel interfaces tests never need: keys, mounts, kernel modules', async (t) => {
      const probe = [
        'import ctypes, json',
        'libc = ctypes.CDLL(None, use_errno=True)',
        'def call(*args):',
        '    r = libc.syscall(*args)',
        '    return [r, ctypes.get_errno()]',
        // keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1): answers anywhere it is allowed.
        'print("RESULT " + json.dumps({"keyctl": call(250, 0, -3, 1), "mount": call(165, b"none", b"/tmp", b"tmpfs", 0, None), "init_module": call(175, None, 0, b"")}))',
      ].join('\n');
      const result = await run(t, hostileProject(`require('child_process').spawnSync('python3', ['-c', ${JSON.stringify(probe)}], { stdio: 'inherit' });`));
      if (!result) return;
      const seen = reported(result);
      assert.deepEqual(seen.keyctl, [-1, 1], `keyctl answered: ${seen.keyctl}`);
      for (const name of ['mount', 'init_module']) assert.equal(seen[name][0], -1, `${name} succeeded`);
    });

    it('cannot make namespaces of its own (a nested user namespace would make it root there)', async (t) => {
      const result = await run(
        t,
        hostileProject(`
        const { spawnSync } = require('child_process');
        const attempt = (args) => spawnSync('unshare', args, { encoding: 'utf8' });
        const user = attempt(['--user', '--map-root-user', 'id', '-u']), mount = attempt(['--mount', 'true']), net = attempt(['--net', 'true']);
        report({ user: [user.status, user.stdout.trim()], mount: mount.status, net: net.status });`),
      );
      if (!result) return;
      const seen = reported(result);
      assert.notEqual(seen.user[0], 0, `a user namespace was created (uid inside: ${seen.user[1]})`);
      assert.notEqual(seen.mount, 0);
      assert.notEqual(seen.net, 0);
    });

    it('has no network: no outbound connection, no DNS, not even to this machine', async (t) => {
      const result = await run(
        t,
        hostileProject(`
        const net = require('net'), dns = require('dns');
        const tryConnect = (host) => new Promise((resolve) => {
          const s = net.connect({ host, port: ${port}, timeout: 3000 }, () => { s.destroy(); resolve('connected'); });
          s.on('error', (e) => resolve(e.code)); s.on('timeout', () => { s.destroy(); resolve('timeout'); });
        });
        (async () => {
          const lookup = await new Promise((r) => dns.lookup('registry.npmjs.org', (e, a) => r(e ? e.code : a)));
          const ifaces = Object.values(require('os').networkInterfaces()).flat().map((i) => i.address);
          report({ loopback: await tryConnect('127.0.0.1'), host: await tryConnect('${hostAddress()}'), public: await tryConnect('1.1.1.1'), lookup, ifaces });
        })();`),
      );
      if (!result) return;
      const seen = reported(result);
      assert.notEqual(seen.loopback, 'connected');
      assert.notEqual(seen.host, 'connected');
      assert.notEqual(seen.public, 'connected');
      assert.match(seen.lookup, /^E[A-Z_]+$/, `DNS answered: ${seen.lookup}`);
      assert.ok(
        seen.ifaces.every((a: string) => a === '127.0.0.1' || a === '::1'),
        `interfaces: ${seen.ifaces}`,
      );
      assert.equal(connections, 0, 'the host listener was reached');
    });

    it("cannot read this machine's files, other processes or their environments", async (t) => {
      const result = await run(
        t,
        hostileProject(`
        const fs = require('fs');
        const attempt = (p) => { try { return fs.readFileSync(p, 'utf8').slice(0, 40); } catch (e) { return e.code; } };
        const pids = fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p));
        report({
          shadow: attempt('/etc/shadow'), npmrc: attempt('/root/.npmrc'), repo: attempt(${JSON.stringify(join(repoRoot, 'package.json'))}),
          hostPid: attempt('/proc/${process.pid}/environ'), pid1: attempt('/proc/1/environ'), home: (() => { try { return fs.readdirSync('/root'); } catch (e) { return e.code; } })(),
          processes: pids.length, environs: pids.map((p) => attempt('/proc/' + p + '/environ')).join('\\n'),
        });`),
      );
      if (!result) return;
      const seen = reported(result);
      for (const key of ['shadow', 'npmrc', 'repo', 'hostPid', 'home'] as const)
        assert.match(String(seen[key]), /^(ENOENT|EACCES|EPERM)$/, `${key}: ${seen[key]}`);
      assert.ok(seen.processes < 12, `the sandbox sees ${seen.processes} processes`);
      assert.ok(!seen.environs.includes(fakeKey) && !String(seen.pid1).includes(fakeKey));
    });

    it('sees only the allow-listed environment: no API key, no host variables', async (t) => {
      const result = await run(t, hostileProject('report({ env: process.env });'));
      if (!result) return;
      const { env } = reported(result);
      assert.equal(process.env.OPENAI_API_KEY, fakeKey);
      assert.ok(!JSON.stringify(env).includes(fakeKey), 'the API key reached the sandbox');
      for (const name of ['OPENAI_API_KEY', 'DOCKER_HOST', 'QLP_HOME', 'SSH_AUTH_SOCK']) assert.ok(!(name in env), `${name} reached the sandbox`);
      // NODE_OPTIONS is QLP's own (node:test's reporters), never this process's.
      assert.equal(env.NODE_OPTIONS, nodeTestReporters);
      assert.equal(env.HOME, '/tmp');
      assert.ok(!result.stdout.includes(fakeKey) && !JSON.stringify(result.receipt).includes(fakeKey));
    });

    it('cannot write outside its work folder, directly or through links in the project', async (t) => {
      const marker = `qlp-hostile-${kind}-${process.pid}-${Date.now()}`;
      const project = hostileProject(
        `
        const fs = require('fs');
        const attempt = (p) => { try { fs.writeFileSync(p, 'pwned'); return 'written'; } catch (e) { return e.code; } };
        report({
          tmp: attempt('/tmp/${marker}'), usr: attempt('/usr/${marker}'), etc: attempt('/etc/${marker}'), root: attempt('/${marker}'),
          viaTmpLink: attempt('link-tmp/${marker}'), viaEtcLink: attempt('link-etc/${marker}'), viaProjectLink: attempt('link-project/${marker}'),
          viaHomeLink: attempt('link-home/${marker}'), work: attempt('/project/${marker}'),
        });`,
        (dir) => {
          symlinkSync('/tmp', join(dir, 'link-tmp'));
          symlinkSync('/etc', join(dir, 'link-etc'));
          symlinkSync(dir, join(dir, 'link-project'));
          symlinkSync('/root', join(dir, 'link-home'));
        },
      );
      const result = await run(t, project);
      if (!result) return;
      const seen = reported(result);
      assert.equal(seen.work, 'written');
      for (const key of ['usr', 'etc', 'root', 'viaEtcLink']) assert.match(seen[key], /^(EROFS|EACCES|EPERM)$/, `${key}: ${seen[key]}`);
      for (const path of [tmpdir(), '/tmp', '/usr', '/etc', '/', '/root', project, join(repoRoot)])
        assert.ok(!existsSync(join(path, marker)), `${marker} appeared in ${path}`);
    });

    it('survives a fork bomb: the process limit holds and the timeout ends it', async (t) => {
      const started = Date.now();
      // When the process limit is already reached, the shell cannot even start and spawnSync returns
      // at once: the test then waits on, so the run always ends at the timeout, never as a pass.
      const result = await run(
        t,
        hostileProject(
          "require('child_process').spawnSync('/bin/sh', ['-c', 'bomb() { if [ $1 -gt 0 ]; then bomb $(($1 - 1)) | bomb $(($1 - 1)) & fi; sleep 30; }; bomb 10'], { stdio: 'inherit' }); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000);",
        ),
        { pids: 64, timeoutSeconds: 5 },
      );
      if (!result) return;
      assert.equal(result.status, 'timeout');
      assert.equal(result.timedOut, true);
      assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
      assert.deepEqual(sandboxUserProcesses(), [], 'sandbox processes outlived the run');
    });

    it('kills a memory hog when it reaches the memory limit', async (t) => {
      const result = await run(
        t,
        hostileProject('const hog = []; for (let i = 0; i < 128; i++) hog.push(Buffer.alloc(8 * 1024 * 1024, 1)); report({ survived: hog.length });'),
        { memoryMb: 192, timeoutSeconds: 30 },
      );
      if (!result) return;
      assert.equal(result.oomKilled, true, `${result.status} ${result.error}\n${result.stderr}`);
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /ran out of memory \(192 MiB\)/);
    });

    it('stops an infinite loop at the timeout', async (t) => {
      const started = Date.now();
      const result = await run(t, hostileProject('const end = Date.now() + 60000; while (Date.now() < end) {}'), { timeoutSeconds: 3 });
      if (!result) return;
      assert.equal(result.status, 'timeout');
      assert.equal(result.exitCode, null);
      assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    });

    it('kills a detached daemon that would outlive the tests', async (t) => {
      const marker = `qlp-daemon-${kind}-${process.pid}`;
      const project = hostileProject(`
        const { spawn } = require('child_process');
        const daemon = spawn('/bin/sh', ['-c', 'i=0; while [ $i -lt 120 ]; do sleep 1; i=$((i + 1)); done', '${marker}'], { detached: true, stdio: 'ignore' });
        daemon.unref();
        report({ daemon: daemon.pid });`);
      const result = await run(t, project);
      if (!result) return;
      assert.ok(reported(result).daemon > 0);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(processesWith(marker), [], 'the daemon outlived the run');
      assert.deepEqual(sandboxUserProcesses(), []);
    });

    it('keeps the head and tail of 200 MB of output and says what was cut', async (t) => {
      const rssBefore = process.memoryUsage().rss;
      const result = await run(
        t,
        hostileProject(
          "const line = Buffer.alloc(1024 * 1024, 'y'); process.stdout.write('FIRST LINE\\n'); for (let i = 0; i < 200; i++) process.stdout.write(line); process.stdout.write('\\nLAST LINE\\n');",
        ),
        { outputBytes: 64 * 1024, timeoutSeconds: 60 },
      );
      if (!result) return;
      const phase = result.receipt.phases.at(-1)!;
      assert.ok(phase.stdout.bytes >= 200 * 1024 * 1024, `only ${phase.stdout.bytes} bytes arrived`);
      assert.equal(phase.stdout.cutBytes, phase.stdout.bytes - 64 * 1024);
      assert.ok(result.stdout.length < 70 * 1024);
      assert.ok(result.stdout.includes('FIRST LINE') && result.stdout.trimEnd().endsWith('LAST LINE'));
      assert.match(result.stdout, /\[(199|200)\.\d MiB of stdout cut here; 200\.\d MiB in all\]/);
      assert.ok(process.memoryUsage().rss - rssBefore < 150 * 1024 * 1024, 'output was buffered in memory');
    });

    it('cannot fill the disk: its work folder and /tmp are size-limited', async (t) => {
      const result = await run(
        t,
        hostileProject(`
        const fs = require('fs');
        const fill = (path) => { const block = Buffer.alloc(1024 * 1024, 1); let n = 0; try { const fd = fs.openSync(path, 'w'); for (; n < 256; n++) fs.writeSync(fd, block); return { mb: n, code: 'NO LIMIT' }; } catch (e) { return { mb: n, code: e.code }; } };
        report({ work: fill('/project/fill'), tmp: fill('/tmp/fill') });`),
        { diskMb: 32, memoryMb: 256 },
      );
      if (!result) return;
      const seen = reported(result);
      for (const where of ['work', 'tmp']) {
        assert.equal(seen[where].code, 'ENOSPC', `${where}: ${JSON.stringify(seen[where])}`);
        assert.ok(seen[where].mb <= 32, `${where}: wrote ${seen[where].mb} MiB`);
      }
    });

    if (kind === 'docker') {
      it('in a warm container: kills daemons before the next run, and reports an OOM kill for its run only', async (t) => {
        const env = await sandboxEnv(kind, t);
        if (!env) return;
        const marker = `qlp-warm-daemon-${process.pid}`;
        const runner = new ProjectTestRunner({ settings: testSettings(kind, { timeoutSeconds: 20, memoryMb: 192 }), storageDir, env, reuse: true });
        try {
          const project = hostileProject(`
            const fs = require('fs');
            const daemons = fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p)).filter((p) => { try { return fs.readFileSync('/proc/' + p + '/cmdline', 'utf8').includes('${marker}'); } catch { return false; } });
            require('child_process').spawn('/bin/sh', ['-c', 'i=0; while [ $i -lt 120 ]; do sleep 1; i=$((i + 1)); done', '${marker}'], { detached: true, stdio: 'ignore' }).unref();
            report({ daemonsBefore: daemons.length });`);
          const first = reported(await runner.run(project));
          const second = reported(await runner.run(project));
          assert.deepEqual([first.daemonsBefore, second.daemonsBefore], [0, 0]);
          assert.deepEqual(processesWith(marker), []);
          // The OOM kill of one run is reported for that run only.
          const hog = await runner.run(
            hostileProject('const hog = []; for (let i = 0; i < 128; i++) hog.push(Buffer.alloc(8 * 1024 * 1024, 1)); report({ survived: hog.length });'),
          );
          assert.equal(hog.oomKilled, true, hog.stderr);
          const after = await runner.run(project);
          assert.equal(after.oomKilled, false);
          assert.equal(reported(after).daemonsBefore, 0);
        } finally {
          await runner.close();
        }
      });
    }
  });
}
