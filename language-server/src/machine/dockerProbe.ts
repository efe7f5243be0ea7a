// The Docker engine of this machine: where it is (DOCKER_HOST), a connection to it, and a probe
// that says in one sentence why it does not answer. The sandbox drives containers over the same
// connection (sandbox/dockerEngine.ts); dockerode itself is loaded here, on first use.
import type Docker from 'dockerode';
import type { DockerProbe } from '../../../protocol/machine';

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
export async function connectDocker(host: string = dockerHost()): Promise<Docker> {
  const { default: DockerClient } = await import('dockerode');
  if (host.startsWith('unix://')) return new DockerClient({ socketPath: host.slice('unix://'.length) });
  if (host.startsWith('npipe://')) return new DockerClient({ socketPath: host.slice('npipe://'.length) });
  return new DockerClient();
}

/** Asks the engine for a ping and its version, giving up after `timeoutMs`. */
export async function probeDockerEngine(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 1500,
  platform: NodeJS.Platform = process.platform,
): Promise<DockerProbe> {
  const host = dockerHost(env, platform);
  try {
    const docker = await connectDocker(host);
    const version = await withTimeout(
      (async () => {
        await docker.ping();
        return (await docker.version()).Version;
      })(),
      timeoutMs,
    );
    return { reachable: true, host, version };
  } catch (err) {
    return { reachable: false, host, error: explainDockerError(err, host, platform) };
  }
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
