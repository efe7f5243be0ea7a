// `npm run bench:sandbox`: what a sandboxed run costs. The overhead of `node -e 0` in each sandbox
// (create → exit → remove), a warm Docker container's runs, and whole `qlp test` runs of a small
// project. Docker comes from DOCKER_HOST, else scripts/docker-engine.sh starts a private engine.
// Prints the figures and writes bench/results/sandbox.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxKind } from '../protocol/sandbox';
import { BwrapSandbox } from '../language-server/src/sandbox/bwrap';
import { DockerSandbox } from '../language-server/src/sandbox/docker';
import { probeDockerEngine } from '../language-server/src/machine/dockerProbe';
import { sandboxEnvironment } from '../language-server/src/sandbox/environment';
import { sandboxDataDir } from '../language-server/src/sandbox/layout';
import { ProjectTestRunner, runProjectTests } from '../language-server/src/sandbox/runTests';
import { sandboxSettingsFromEditor } from '../language-server/src/sandbox/settings';
import type { Sandbox, SandboxSession, SessionSpec } from '../language-server/src/sandbox/types';
import { writeResults } from './results';

const runs = Number(process.env.QLP_BENCH_RUNS) || 20;
const projectRuns = Math.max(3, Math.round(runs / 4));
const repoRoot = join(__dirname, '..');
const fixture = join(repoRoot, 'test', 'fixtures', 'sandbox', 'node-pass');

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const ms = (x: number) => `${String(Math.round(x)).padStart(5)} ms`;
export interface Row {
  /** A stable name for the doc tables: baseline, bwrap-cold, docker-cold, docker-warm, bwrap-test, docker-test, docker-test-warm. */
  id: string;
  what: string;
  p50Ms: number;
  p90Ms: number;
  n: number;
  overheadP50Ms?: number;
  overheadP90Ms?: number;
}
const rows: Row[] = [];
const row = (id: string, what: string, xs: number[], overhead?: number[]) => {
  rows.push({
    id,
    what,
    p50Ms: Math.round(quantile(xs, 0.5)),
    p90Ms: Math.round(quantile(xs, 0.9)),
    n: xs.length,
    ...(overhead ? { overheadP50Ms: Math.round(quantile(overhead, 0.5)), overheadP90Ms: Math.round(quantile(overhead, 0.9)) } : {}),
  });
  console.log(
    `${what.padEnd(52)} p50 ${ms(quantile(xs, 0.5))}   p90 ${ms(quantile(xs, 0.9))}${overhead ? `   overhead p50 ${ms(quantile(overhead, 0.5))}, p90 ${ms(quantile(overhead, 0.9))}` : ''}   (n=${xs.length})`,
  );
};

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
  return started.status === 0 ? started.stdout.trim().split('\n').pop() : undefined;
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

  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
  console.log(`Sandbox overhead on ${availableParallelism()} cores, Node ${process.versions.node}; load average ${loadAtStart.join(' ')}`);
  const host = await dockerHost();
  const sandboxes: Array<[SandboxKind, Sandbox]> = [['bwrap', new BwrapSandbox({ dataDir: sandboxDataDir(storageDir) })]];
  if (host) sandboxes.unshift(['docker', new DockerSandbox(host)]);
  else console.log('docker: no engine (set DOCKER_HOST, or run as root with dockerd installed); skipped');

  // Each round runs the baseline and every variant back to back, so a busy machine slows them
  // alike; overheads are the medians of each round's difference to its own baseline.
  const cold = (sandbox: Sandbox) => async () => {
    const s = await sandbox.open({ ...session, reuse: false });
    try {
      await s.run({ argv, env });
    } finally {
      await s.close();
    }
  };
  const variants: Array<[string, string, () => Promise<unknown>]> = [
    ['baseline', 'node -e 0, unsandboxed (baseline)', async () => execFileSync(argv[0], argv.slice(1))],
  ];
  let warmContainerStartMs: number | null = null;
  const warmSessions: SandboxSession[] = [];
  for (const [kind, sandbox] of sandboxes) {
    await sandbox.prepare({});
    variants.push([`${kind}-cold`, `${kind}: node -e 0, create → exit → remove`, cold(sandbox)]);
    if (kind === 'docker') {
      const started = performance.now();
      const warm = await sandbox.open({ ...session, reuse: true });
      warmContainerStartMs = Math.round(performance.now() - started);
      console.log(`docker: starting a warm container takes ${warmContainerStartMs} ms, once per generation`);
      warmSessions.push(warm);
      variants.push(['docker-warm', 'docker: node -e 0, warm container (exec + reap)', () => warm.run({ argv, env })]);
    }
  }
  const times = variants.map((): number[] => []);
  for (const [, , once] of variants) await once(); // warm-up: images, skeleton, file caches
  for (let round = 0; round < runs; round++) {
    for (const [i, [, , once]] of variants.entries()) {
      const started = performance.now();
      await once();
      times[i].push(performance.now() - started);
    }
  }
  for (const warm of warmSessions) await warm.close();
  for (const [i, [id, what]] of variants.entries()) {
    const overhead = i === 0 ? undefined : times[i].map((t, round) => t - times[0][round]);
    row(id, what, times[i], overhead);
  }

  for (const [kind] of sandboxes) {
    const runEnv = { ...process.env, ...(host ? { DOCKER_HOST: host } : {}) };
    const one = { ...settings, mode: kind };
    row(
      `${kind}-test`,
      `${kind}: qlp test on a 3-file node:test project`,
      await time(projectRuns, () => runProjectTests(fixture, { settings: one, storageDir, env: runEnv })),
    );
    if (kind === 'docker') {
      const runner = new ProjectTestRunner({ settings: one, storageDir, env: runEnv, reuse: true });
      try {
        row('docker-test-warm', "docker: the same, warm (a generation's repair loop)", await time(projectRuns, () => runner.run(fixture)));
      } finally {
        await runner.close();
      }
    }
  }
  const versions = {
    bwrap: toolVersion('bwrap', ['--version']),
    docker: host ? toolVersion('docker', ['version', '--format', '{{.Server.Version}}'], { DOCKER_HOST: host }) : null,
  };
  console.log(`Written to ${writeResults('sandbox', { loadAverageAtStart: loadAtStart, versions, warmContainerStartMs, rows })}`);
}

function toolVersion(command: string, args: string[], env: NodeJS.ProcessEnv = {}): string | null {
  const run = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return run.status === 0 ? run.stdout.trim() : null;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
