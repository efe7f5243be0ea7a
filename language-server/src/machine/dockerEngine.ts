// The one adapter over dockerode: where this machine's Docker engine is (DOCKER_HOST), the
// connection to it (dockerode is loaded on first use: it is large and most runs never need it),
// why it does not answer in one sentence, and the images, networks and containers the sandbox
// drives. Callers get plain shapes (ContainerSpec, CreatedContainer); dockerode's types stay here.
import { Readable, Writable } from 'node:stream';
import type Docker from 'dockerode';

const defaultSocket = '/var/run/docker.sock';
const defaultWindowsPipe = 'npipe:////./pipe/docker_engine';

/** The engine address dockerode will use: DOCKER_HOST, else the default socket (Docker Desktop's pipe on Windows). */
export function dockerHost(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return env.DOCKER_HOST?.trim() || (platform === 'win32' ? defaultWindowsPipe : `unix://${defaultSocket}`);
}

/**
 * Connects to an engine; for tcp/ssh hosts docker-modem reads DOCKER_HOST and the DOCKER_TLS_*
 * settings itself. dockerode is loaded on first use: it is large and most runs never need it.
 */
async function connectDocker(host: string = dockerHost()): Promise<Docker> {
  const { default: DockerClient } = await import('dockerode');
  if (host.startsWith('unix://')) return new DockerClient({ socketPath: host.slice('unix://'.length) });
  if (host.startsWith('npipe://')) return new DockerClient({ socketPath: host.slice('npipe://'.length) });
  return new DockerClient();
}

/** Why the engine at `host` did not answer, with what to do about it. */
export function explainDockerError(err: unknown, host: string, platform: NodeJS.Platform = process.platform): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const start = platform === 'linux' ? 'start dockerd' : 'install and start Docker Desktop';
  if (code === 'ENOENT') return `No Docker engine socket at ${host}; ${start} or set DOCKER_HOST.`;
  if (code === 'ECONNREFUSED') return `The Docker engine at ${host} refused the connection; is dockerd running?`;
  if (code === 'EACCES') return `No permission to use the Docker engine at ${host}; add your user to the docker group.`;
  if (err instanceof TimeoutError) return `The Docker engine at ${host} did not answer within ${err.ms} ms.`;
  const message = err instanceof Error ? err.message : String(err);
  return `The Docker engine at ${host} did not answer: ${message.split('\n')[0]}`;
}

class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

/** `promise`, or a TimeoutError (which explainDockerError words) after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A container as the sandbox wants it: everything isolating is fixed here, not by callers. */
export interface ContainerSpec {
  image: string;
  argv: string[];
  env: Record<string, string>;
  /** `uid:gid`, never root. */
  user: string;
  workingDir: string;
  binds: Array<{ hostPath: string; target: string; readOnly: boolean }>;
  /** Mount point → tmpfs options (size, uid, mode). */
  tmpfs: Record<string, string>;
  network: 'none' | 'host' | 'bridge';
  memoryBytes: number;
  nanoCpus: number;
  pids: number;
  labels: Record<string, string>;
}

export interface ExecResult {
  exitCode: number | null;
}

export interface OutputSink {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/** A created container: attach before start, then wait; `remove` always, in a finally. */
export interface CreatedContainer {
  readonly id: string;
  /** Streams the container's output to `sink` until it exits. */
  attach(sink: OutputSink): Promise<void>;
  start(): Promise<void>;
  /** Resolves with the exit code once the container has stopped. */
  wait(): Promise<number | null>;
  kill(): Promise<void>;
  /** Whether the kernel's OOM killer hit the container. */
  oomKilled(): Promise<boolean>;
  /** Runs a command in the running container, streaming its output; resolves when it ends. */
  exec(argv: string[], options: { user: string; env: Record<string, string>; workingDir: string; sink?: OutputSink }): Promise<ExecResult>;
  remove(): Promise<void>;
}

function splitter(sink: OutputSink) {
  const stream = (write: (chunk: Buffer) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        write(chunk);
        callback();
      },
    });
  return { stdout: stream((c) => sink.stdout(c)), stderr: stream((c) => sink.stderr(c)) };
}

const isNotFound = (err: unknown) => (err as { statusCode?: number })?.statusCode === 404;

/** The engine operations the sandbox needs, over one dockerode connection. */
export class DockerEngine {
  private constructor(
    private readonly docker: Docker,
    readonly host: string,
  ) {}

  static async connect(host: string = dockerHost()): Promise<DockerEngine> {
    return new DockerEngine(await connectDocker(host), host);
  }

  /** The engine's version, or a clear error when it does not answer. */
  async version(timeoutMs = 3000): Promise<string> {
    try {
      return await this.ping(timeoutMs);
    } catch (err) {
      throw new Error(explainDockerError(err, this.host));
    }
  }

  /** A ping and the engine's version, within `timeoutMs`; rejects with the raw failure. */
  ping(timeoutMs: number): Promise<string> {
    return withTimeout(
      (async () => {
        await this.docker.ping();
        return (await this.docker.version()).Version;
      })(),
      timeoutMs,
    );
  }

  /** The image's content id, or undefined when the engine does not have it. */
  async imageId(name: string): Promise<string | undefined> {
    try {
      return (await this.docker.getImage(name).inspect()).Id;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Creates image `name` (repo:tag) from a root filesystem tar, like `docker import`. */
  async importImage(tar: Buffer, name: string): Promise<string> {
    const [repo, tag] = name.split(':');
    const stream = await this.docker.importImage(Readable.from([tar]), { repo, tag });
    await new Promise<void>((resolve, reject) => this.docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve())));
    const id = await this.imageId(name);
    if (!id) throw new Error(`The Docker engine did not keep the imported image ${name}.`);
    return id;
  }

  /** Pulls an image, reporting each status line; cancelled by `signal`. */
  async pullImage(name: string, signal?: AbortSignal, onProgress?: (status: string) => void): Promise<string> {
    const stream: NodeJS.ReadableStream = await this.docker.pull(name, { abortSignal: signal });
    await new Promise<void>((resolve, reject) =>
      this.docker.modem.followProgress(
        stream,
        (err) => (err ? reject(err) : resolve()),
        (event: { status?: string; id?: string }) => {
          if (event.status) onProgress?.(`${event.id ? `${event.id}: ` : ''}${event.status}`);
        },
      ),
    );
    const id = await this.imageId(name);
    if (!id) throw new Error(`Pulling ${name} finished but the engine has no such image.`);
    return id;
  }

  /** Whether the engine has its default bridge network (dockerd --bridge=none has not). */
  async hasBridgeNetwork(): Promise<boolean> {
    try {
      await this.docker.getNetwork('bridge').inspect();
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Ids of containers carrying every given label. */
  async containersLabelled(labels: Record<string, string>): Promise<Array<{ id: string; labels: Record<string, string> }>> {
    const list = await this.docker.listContainers({ all: true, filters: { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) } });
    return list.map((c) => ({ id: c.Id, labels: c.Labels ?? {} }));
  }

  async removeContainer(id: string): Promise<void> {
    await this.docker
      .getContainer(id)
      .remove({ force: true, v: true })
      .catch((err) => {
        if (!isNotFound(err) && (err as { statusCode?: number }).statusCode !== 409) throw err;
      });
  }

  async createContainer(spec: ContainerSpec): Promise<CreatedContainer> {
    const container = await this.docker.createContainer({
      Image: spec.image,
      Cmd: spec.argv,
      Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
      User: spec.user,
      WorkingDir: spec.workingDir,
      Labels: spec.labels,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      OpenStdin: false,
      NetworkDisabled: spec.network === 'none',
      HostConfig: {
        NetworkMode: spec.network,
        ReadonlyRootfs: true,
        Binds: spec.binds.map((b) => `${b.hostPath}:${b.target}:${b.readOnly ? 'ro' : 'rw'}`),
        Tmpfs: spec.tmpfs,
        Memory: spec.memoryBytes,
        MemorySwap: spec.memoryBytes,
        NanoCpus: spec.nanoCpus,
        PidsLimit: spec.pids,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Init: true,
        IpcMode: 'private',
        Ulimits: [
          { Name: 'nofile', Soft: 1024, Hard: 1024 },
          { Name: 'core', Soft: 0, Hard: 0 },
        ],
        // Output travels over attach only: the engine keeps no log of it on disk.
        LogConfig: { Type: 'none', Config: {} },
      },
    });
    const modem = this.docker.modem;
    return {
      id: container.id,
      async attach(sink) {
        const stream = await container.attach({ stream: true, stdout: true, stderr: true });
        const { stdout, stderr } = splitter(sink);
        modem.demuxStream(stream, stdout, stderr);
        return new Promise<void>((resolve) => {
          stream.once('end', resolve);
          stream.once('close', resolve);
          stream.once('error', () => resolve());
        });
      },
      start: async () => void (await container.start()),
      wait: async () => ((await container.wait()) as { StatusCode?: number }).StatusCode ?? null,
      kill: async () => {
        await container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
      },
      oomKilled: async () => Boolean((await container.inspect()).State?.OOMKilled),
      async exec(argv, options) {
        const exec = await container.exec({
          Cmd: argv,
          User: options.user,
          Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`),
          WorkingDir: options.workingDir,
          AttachStdout: true,
          AttachStderr: true,
          Tty: false,
        });
        const stream = await exec.start({ hijack: true, stdin: false, Detach: false });
        const { stdout, stderr } = splitter(options.sink ?? { stdout: () => undefined, stderr: () => undefined });
        modem.demuxStream(stream, stdout, stderr);
        await new Promise<void>((resolve) => {
          stream.once('end', resolve);
          stream.once('close', resolve);
          stream.once('error', () => resolve());
        });
        const info = await exec.inspect();
        return { exitCode: info.Running ? null : (info.ExitCode ?? null) };
      },
      remove: async () => {
        await container.remove({ force: true, v: true }).catch((err) => {
          // 404: already gone; 409: the engine is removing it already.
          if (!isNotFound(err) && (err as { statusCode?: number }).statusCode !== 409) throw err;
        });
      },
    };
  }
}
