// The real sandboxes for tests: a Docker engine (DOCKER_HOST, else one started with
// scripts/docker-engine.sh) and bubblewrap with cgroups. In CI a missing one fails the tests;
// elsewhere the tests that need it are skipped, saying why.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { SandboxKind, SandboxLimits } from '../../protocol/sandbox';
import { probeBubblewrap } from '../../language-server/src/machine/bubblewrap';
import { detectCgroups } from '../../language-server/src/sandbox/cgroup';
import { probeDockerEngine } from '../../language-server/src/machine/dockerProbe';
import { sandboxSettingsFromEditor, type SandboxSettings } from '../../language-server/src/sandbox/settings';
import { repoRoot } from './paths';

export const sandboxKinds: readonly SandboxKind[] = ['docker', 'bwrap'];
const inCi = Boolean(process.env.CI);

let docker: Promise<{ host?: string; reason?: string }> | undefined;

/** An engine for the tests: DOCKER_HOST's, else a private one started by scripts/docker-engine.sh. */
function dockerEngine(): Promise<{ host?: string; reason?: string }> {
  docker ??= (async () => {
    if (process.env.DOCKER_HOST) {
      const probe = await probeDockerEngine(process.env, 5000);
      if (probe.reachable) return { host: probe.host };
      return { reason: `DOCKER_HOST is set but ${probe.error}` };
    }
    if (inCi) return { reason: 'CI is set but DOCKER_HOST is not; .ci/run starts an engine with scripts/docker-engine.sh and exports it.' };
    const started = spawnSync(join(repoRoot, 'scripts', 'docker-engine.sh'), ['start'], { encoding: 'utf8', timeout: 60_000 });
    const host = started.stdout.trim();
    if (started.status !== 0 || !host) return { reason: `no Docker engine: ${started.stderr.trim() || 'scripts/docker-engine.sh start failed'}` };
    const probe = await probeDockerEngine({ DOCKER_HOST: host }, 5000);
    return probe.reachable ? { host } : { reason: probe.error };
  })();
  return docker;
}

async function bwrapReason(): Promise<string | undefined> {
  const probe = await probeBubblewrap();
  if (!probe.available) return probe.error;
  const cgroups = detectCgroups();
  return 'error' in cgroups ? cgroups.error : undefined;
}

/**
 * The environment to run `kind` with, or undefined after skipping the test (never in CI: there a
 * missing sandbox throws, so the run fails).
 */
export async function sandboxEnv(kind: SandboxKind, t: TestContext): Promise<NodeJS.ProcessEnv | undefined> {
  let reason: string | undefined;
  let env: NodeJS.ProcessEnv = { ...process.env };
  if (kind === 'docker') {
    const engine = await dockerEngine();
    reason = engine.reason;
    if (engine.host) env = { ...env, DOCKER_HOST: engine.host };
  } else reason = await bwrapReason();
  if (!reason) return env;
  if (inCi) throw new Error(`The ${kind} sandbox is required in CI: ${reason}`);
  t.skip(`${kind} sandbox unavailable: ${reason}`);
  return undefined;
}

/** Settings for a test: the given sandbox, small limits so a broken sandbox cannot hurt the machine. */
export function testSettings(kind: SandboxKind, limits: Partial<SandboxLimits> = {}, extra: Partial<SandboxSettings> = {}): SandboxSettings {
  const settings = sandboxSettingsFromEditor({ sandbox: { mode: kind, cpus: 1, memoryMb: 256, pids: 128, timeoutSeconds: 60, diskMb: 64, outputKb: 256 } });
  return { ...settings, ...extra, limits: { ...settings.limits, ...limits } };
}

export const scratchDir = (prefix = 'qlp-sandbox-test-') => mkdtempSync(join(tmpdir(), prefix));

/** A QLP data folder for a test, reachable by the sandbox user (so its caches live inside it). */
export function testStorage(): string {
  const dir = scratchDir('qlp-sandbox-storage-');
  chmodSync(dir, 0o755);
  return dir;
}
