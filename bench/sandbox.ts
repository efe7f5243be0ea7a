// `npm run bench:sandbox`: what a sandboxed run costs. The overhead of `node -e 0` in each sandbox
// (create → exit → remove), a warm Docker container's runs, and whole `qlp test` runs of a small
// project. Docker comes from DOCKER_HOST, else scripts/docker-engine.sh starts a private engine.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxKind } from '../protocol/sandbox';
import { BwrapSandbox } from '../language-server/src/sandbox/bwrap';
import { DockerSandbox } from '../language-server/src/sandbox/docker';
import { probeDockerEngine } from '../language-server/src/sandbox/dockerEngine';
import { sandboxEnvironment } from '../language-server/src/sandbox/environment';
import { sandboxDataDir } from '../language-server/src/sandbox/layout';
import { ProjectTestRunner, runProjectTests } from '../language-server/src/sandbox/runTests';
import { sandboxSettingsFromEditor } from '../language-server/src/sandbox/settings';
import type { Sandbox, SessionSpec } from '../language-server/src/sandbox/types';

const runs = Number(process.env.QLP_BENCH_RUNS) || 20;
const projectRuns = Math.max(3, Math.round(runs / 4));
const repoRoot = join(__dirname, '..');
const fixture = join(repoRoot, 'test', 'fixtures', 'sandbox', 'node-pass');

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const row = (what: string, xs: number[], base?: number) =>
  console.log(`${what.padEnd(52)} p50 ${String(Math.round(quantile(xs, 0.5))).padStart(5)} ms   p90 ${String(Math.round(quantile(xs, 0.9))).padStart(5)} ms${base !== undefined ? `   overhead p50 ${Math.round(quantile(xs, 0.5) - base)} ms` : ''}   (n=${xs.length})`);

async function time(n: number, once: () => Promise<unknown>): Promise<number[]> {
  await once(); // warm-up: images, skeleton, file caches
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await once();
    xs.push(performance.now() - started);
  }
  return xs;
}

async function dockerHost(): Promise<string | undefined> {
  if (process.env.DOCKER_HOST) return (await probeDockerEngine(process.env)).reachable ? process.env.DOCKER_HOST : undefined;
  const started = spawnSync(join(repoRoot, 'scripts', 'docker-engine.sh'), ['start'], { encoding: 'utf8' });
  return started.status === 0 ? started.stdout.trim() : undefined;
}

async function main(): Promise<void> {
  const storageDir = mkdtempSync(join(tmpdir(), 'qlp-bench-sandbox-'));
  chmodSync(storageDir, 0o755);
  const source = mkdtempSync(join(tmpdir(), 'qlp-bench-src-'));
  chmodSync(source, 0o755);
  const settings = sandboxSettingsFromEditor({ sandbox: { memoryMb: 512, timeoutSeconds: 60 } });
  const session: SessionSpec = { sourceDir: source, mounts: [], network: false, limits: settings.limits };
  const env = sandboxEnvironment({ phase: 'test' });
  const argv = ['node', '-e', '0'];

  console.log(`Sandbox overhead on ${require('node:os').availableParallelism()} cores, Node ${process.versions.node}; load average ${require('node:os').loadavg().map((l: number) => l.toFixed(2)).join(' ')}`);
  const plain = await time(runs, async () => execFileSync(argv[0], argv.slice(1)));
  row('node -e 0, unsandboxed (baseline)', plain);
  const base = quantile(plain, 0.5);

  const host = await dockerHost();
  const sandboxes: Array<[SandboxKind, Sandbox]> = [['bwrap', new BwrapSandbox({ dataDir: sandboxDataDir(storageDir) })]];
  if (host) sandboxes.unshift(['docker', new DockerSandbox(host)]);
  else console.log('docker: no engine (set DOCKER_HOST, or run as root with dockerd installed); skipped');

  for (const [kind, sandbox] of sandboxes) {
    await sandbox.prepare({});
    const cold = await time(runs, async () => {
      const s = await sandbox.open({ ...session, reuse: false });
      try {
        return await s.run({ argv, env });
      } finally {
        await s.close();
      }
    });
    row(`${kind}: node -e 0, create → exit → remove`, cold, base);
    if (kind === 'docker') {
      const warmOpen = performance.now();
      const warm = await sandbox.open({ ...session, reuse: true });
      const openMs = performance.now() - warmOpen;
      try {
        const xs = await time(runs, () => warm.run({ argv, env }));
        row('docker: node -e 0, warm container (exec + reap)', xs, base);
        console.log(`${''.padEnd(52)} (starting the warm container once: ${Math.round(openMs)} ms)`);
      } finally {
        await warm.close();
      }
    }
  }

  for (const [kind] of sandboxes) {
    const runEnv = { ...process.env, ...(host ? { DOCKER_HOST: host } : {}) };
    const one = { ...settings, mode: kind };
    row(`${kind}: qlp test on a 3-file node:test project`, await time(projectRuns, () => runProjectTests(fixture, { settings: one, storageDir, env: runEnv })));
    if (kind === 'docker') {
      const runner = new ProjectTestRunner({ settings: one, storageDir, env: runEnv, reuse: true });
      try {
        row('docker: the same, warm (a generation\'s repair loop)', await time(projectRuns, () => runner.run(fixture)));
      } finally {
        await runner.close();
      }
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
