// The Docker sandbox: a container per run (or one warm container for a generation's repeated
// runs), network none, read-only root, all capabilities dropped, no new privileges, uid 1000,
// memory = memory + swap, CPU and pids limits, size-limited tmpfs for /project and /tmp, an init
// process that reaps, and no log driver. Containers are always removed.
import { DockerEngine, dockerHost, type ContainerSpec, type CreatedContainer, type OutputSink } from '../machine/dockerEngine';
import { launch, paths } from './layout';
import { RunOutput } from './runOutput';
import { ReapTrailer, warmLaunch } from './warmLauncher';
import { hostBinds, skeletonImage, skeletonTar } from './skeleton';
import {
  processAlive,
  SandboxUnavailableError,
  sandboxGid,
  sandboxUid,
  type RunOutcome,
  type RunSpec,
  type Sandbox,
  type SandboxEnvironment,
  type SandboxSession,
  type SessionSpec,
} from './types';

const user = `${sandboxUid}:${sandboxGid}`;
/** The warm container's keeper runs as another user, so killing every sandbox-user process spares it. */
const keeperUser = '65534:65534';
/** Kills every process of the sandbox user (not the caller, not init), then prints the OOM counter. */
const reapScript = 'kill -9 -1 2>/dev/null; cat /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory.events 2>/dev/null; true';

export const runLabel = 'dev.qlp.sandbox';

export class DockerSandbox implements Sandbox {
  readonly kind = 'docker' as const;
  private engine: DockerEngine | undefined;
  private runtime = '';
  private readonly images = new Map<string, string>();
  private swept: Promise<number> | undefined;

  constructor(private readonly host: string = dockerHost()) {}

  /** The engine, or SandboxUnavailableError saying why not. */
  async connect(): Promise<DockerEngine> {
    if (this.engine) return this.engine;
    const engine = await DockerEngine.connect(this.host);
    try {
      this.runtime = `docker ${await engine.version()}`;
    } catch (err) {
      throw new SandboxUnavailableError((err as Error).message);
    }
    return (this.engine = engine);
  }

  /** Removes containers of sandbox runs whose QLP process is gone (it crashed mid-run). */
  async removeStaleContainers(): Promise<number> {
    const engine = await this.connect();
    let removed = 0;
    for (const c of await engine.containersLabelled({ [runLabel]: 'run' })) {
      const pid = Number(c.labels[`${runLabel}.pid`]);
      if (pid && processAlive(pid)) continue;
      await engine.removeContainer(c.id);
      removed++;
    }
    return removed;
  }

  async prepare(spec: { image?: string; signal?: AbortSignal; onProgress?(message: string): void }): Promise<SandboxEnvironment> {
    const engine = await this.connect();
    const name = spec.image || skeletonImage;
    let id = this.images.get(name) ?? (await engine.imageId(name));
    if (!id && !spec.image) {
      spec.onProgress?.(`Creating the offline sandbox image ${name}…`);
      id = await engine.importImage(skeletonTar(), name);
    }
    if (!id) {
      spec.onProgress?.(`Pulling ${name}…`);
      try {
        id = await engine.pullImage(name, spec.signal, spec.onProgress);
      } catch (err) {
        if (spec.signal?.aborted) throw err;
        const why = (err as Error).message.split('\n')[0];
        throw new SandboxUnavailableError(
          `Cannot pull the sandbox image ${name} (${why}); pull it yourself, or clear qlp.sandbox.image to use the offline image.`,
        );
      }
    }
    this.images.set(name, id);
    return { image: name, imageId: id, runtime: this.runtime };
  }

  async open(spec: SessionSpec): Promise<SandboxSession> {
    const engine = await this.connect();
    // Containers of a QLP process that died mid-run would run on: the first run of a process removes them.
    this.swept ??= this.removeStaleContainers().catch(() => 0);
    await this.swept;
    await this.prepare({ image: spec.image });
    const network = spec.network ? ((await engine.hasBridgeNetwork()) ? 'bridge' : 'host') : 'none';
    const base = containerSpec(spec, network);
    return spec.reuse ? WarmSession.start(engine, base, spec) : new ColdSession(engine, base, spec);
  }
}

function containerSpec(spec: SessionSpec, network: ContainerSpec['network']): Omit<ContainerSpec, 'argv' | 'env' | 'user'> {
  const mib = spec.limits.diskMb;
  const skeleton = !spec.image;
  return {
    image: spec.image || skeletonImage,
    workingDir: paths.work,
    binds: [
      ...(skeleton ? hostBinds().map((b) => ({ ...b, readOnly: true })) : []),
      { hostPath: spec.sourceDir, target: paths.source, readOnly: true },
      ...spec.mounts,
    ],
    tmpfs: {
      [paths.work]: `rw,exec,nosuid,nodev,size=${mib}m,uid=${sandboxUid},gid=${sandboxGid},mode=0755`,
      '/tmp': `rw,exec,nosuid,nodev,size=${mib}m,mode=1777`,
    },
    network,
    memoryBytes: spec.limits.memoryMb * 1024 * 1024,
    nanoCpus: Math.round(spec.limits.cpus * 1e9),
    pids: spec.limits.pids,
    labels: { [runLabel]: 'run', [`${runLabel}.pid`]: String(process.pid) },
  };
}

/** Output captures for one run, fed by a sink, forwarding to the caller's live callback. */
function captures(spec: SessionSpec, run: RunSpec) {
  const output = new RunOutput(spec.limits.outputBytes, run);
  const sink: OutputSink = { stdout: output.stdout, stderr: output.stderr };
  return { output, sink };
}

/** Calls `stop` on timeout or abort; says which happened. */
function watchdog(timeoutSeconds: number, signal: AbortSignal | undefined, stop: () => void) {
  const state = { timedOut: false, cancelled: false };
  const timer = setTimeout(() => {
    state.timedOut = true;
    stop();
  }, timeoutSeconds * 1000);
  const onAbort = () => {
    state.cancelled = true;
    stop();
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort);
  return {
    state,
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Waits for `promise`, at most `ms` (the attach stream can lag behind the exit). */
const atMost = (promise: Promise<unknown>, ms: number) => Promise.race([promise, new Promise((r) => setTimeout(r, ms))]);

/** A fresh container for every run: created, attached, started, waited for, inspected, removed. */
class ColdSession implements SandboxSession {
  constructor(
    private readonly engine: DockerEngine,
    private readonly base: Omit<ContainerSpec, 'argv' | 'env' | 'user'>,
    private readonly spec: SessionSpec,
  ) {}

  async run(run: RunSpec): Promise<RunOutcome> {
    const started = performance.now();
    const { output, sink } = captures(this.spec, run);
    let container: CreatedContainer | undefined;
    const guard = watchdog(this.spec.limits.timeoutSeconds, run.signal, () => void container?.kill());
    try {
      container = await this.engine.createContainer({ ...this.base, argv: launch(run.argv), env: run.env, user });
      const attached = container.attach(sink);
      if (guard.state.cancelled) throw new Error('cancelled before start');
      await container.start();
      if (guard.state.cancelled) await container.kill();
      const exitCode = await container.wait();
      await atMost(attached, 2000);
      return {
        exitCode: guard.state.timedOut || guard.state.cancelled ? null : exitCode,
        timedOut: guard.state.timedOut,
        oomKilled: await container.oomKilled(),
        cancelled: guard.state.cancelled,
        durationMs: Math.round(performance.now() - started),
        ...output.finish(),
      };
    } catch (err) {
      if (!guard.state.cancelled) throw err;
      return { exitCode: null, timedOut: false, oomKilled: false, cancelled: true, durationMs: Math.round(performance.now() - started), ...output.finish() };
    } finally {
      guard.dispose();
      await container?.remove();
    }
  }

  async close(): Promise<void> {}
}

/**
 * One container kept running for many runs: each run is one exec of the warm launcher, which
 * kills every sandbox-user process at its end and reports the OOM count in a trailer.
 */
class WarmSession implements SandboxSession {
  private oomCount = 0;
  private closed = false;

  private constructor(
    private readonly container: CreatedContainer,
    private readonly spec: SessionSpec,
  ) {}

  static async start(engine: DockerEngine, base: Omit<ContainerSpec, 'argv' | 'env' | 'user'>, spec: SessionSpec): Promise<WarmSession> {
    const container = await engine.createContainer({ ...base, argv: ['/bin/sh', '-c', 'while :; do sleep 3600; done'], env: {}, user: keeperUser });
    try {
      await container.start();
    } catch (err) {
      await container.remove();
      throw err;
    }
    return new WarmSession(container, spec);
  }

  async run(run: RunSpec): Promise<RunOutcome> {
    if (this.closed) throw new Error('This sandbox session is closed.');
    const started = performance.now();
    const { output, sink } = captures(this.spec, run);
    const trailer = new ReapTrailer(sink.stderr);
    const guard = watchdog(this.spec.limits.timeoutSeconds, run.signal, () => void this.reap());
    try {
      await this.container.exec(warmLaunch(run.argv), {
        user,
        env: run.env,
        workingDir: paths.work,
        sink: { stdout: sink.stdout, stderr: (c) => trailer.write(c) },
      });
      const reaped = trailer.finish() ?? { status: null, oomKills: await this.reap() };
      const oomKilled = reaped.oomKills > this.oomCount;
      this.oomCount = Math.max(this.oomCount, reaped.oomKills);
      const stopped = guard.state.timedOut || guard.state.cancelled;
      return {
        exitCode: stopped ? null : reaped.status,
        timedOut: guard.state.timedOut,
        oomKilled,
        cancelled: guard.state.cancelled,
        durationMs: Math.round(performance.now() - started),
        ...output.finish(),
      };
    } finally {
      guard.dispose();
    }
  }

  /** Kills every sandbox-user process now; returns the container's OOM-kill count. */
  private async reap(): Promise<number> {
    let text = '';
    await this.container.exec(['/bin/sh', '-c', reapScript], {
      user,
      env: {},
      workingDir: '/',
      sink: { stdout: (c) => (text += c.toString()), stderr: () => undefined },
    });
    return Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.container.remove();
  }
}
