// Picks the sandbox: `auto` takes Docker when an engine answers, else bubblewrap, else refuses.
// Generated code never runs without one.
import type { SandboxMode } from '../../../protocol/sandbox';
import { probeBubblewrap } from '../machine/bubblewrap';
import { BwrapSandbox } from './bwrap';
import { Cgroup, detectCgroups } from './cgroup';
import { DockerSandbox } from './docker';
import { dockerHost } from '../machine/dockerEngine';
import { probeDockerEngine } from '../machine/dockerProbe';
import { SandboxUnavailableError, type Sandbox } from './types';

export interface SelectOptions {
  env: NodeJS.ProcessEnv;
  /** Where bubblewrap's skeleton lives (see layout.sandboxDataDir). */
  dataDir: string;
  /** The operating system (tests pass another): bubblewrap is a Linux sandbox. */
  platform?: NodeJS.Platform;
}

/** Why bubblewrap cannot run limited sandboxes here, or undefined when it can. */
async function bwrapProblem(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<string | undefined> {
  const probe = await probeBubblewrap(env.PATH, platform);
  if (!probe.available) return probe.error;
  const cgroups = detectCgroups();
  if ('error' in cgroups) return cgroups.error;
  try {
    // Without a cgroup of its own a run has no limits: prove one can be made, before choosing bwrap.
    await (await Cgroup.create({ cpus: 1, memoryMb: 64, pids: 16, timeoutSeconds: 1, diskMb: 16, outputBytes: 0 })).remove();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export async function selectSandbox(mode: SandboxMode, options: SelectOptions): Promise<Sandbox> {
  const platform = options.platform ?? process.platform;
  const host = dockerHost(options.env, platform);
  const bwrap = () => new BwrapSandbox({ dataDir: options.dataDir, pathVariable: options.env.PATH });
  if (mode === 'docker') {
    const docker = new DockerSandbox(host);
    await docker.connect();
    return docker;
  }
  if (mode === 'bwrap') {
    const problem = await bwrapProblem(options.env, platform);
    if (problem) throw new SandboxUnavailableError(problem);
    return bwrap();
  }
  const engine = await probeDockerEngine(options.env, undefined, platform);
  if (engine.reachable) return new DockerSandbox(host);
  const problem = await bwrapProblem(options.env, platform);
  if (!problem) return bwrap();
  const remedy =
    platform === 'linux' ? `${problem} Start a Docker engine or install bubblewrap.` : 'Install and start Docker Desktop (bubblewrap runs on Linux only).';
  throw new SandboxUnavailableError(`No sandbox is available, and generated code never runs without one: ${engine.error} ${remedy}`);
}
