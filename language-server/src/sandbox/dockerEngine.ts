// The one adapter over dockerode: everything that talks to a Docker engine goes through here.
import type Docker from 'dockerode';
import type { DockerProbe } from '../../../protocol/machine';

const defaultSocket = '/var/run/docker.sock';

/** The engine address dockerode will use: DOCKER_HOST, else the default socket. */
export function dockerHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST?.trim() || `unix://${defaultSocket}`;
}

/**
 * Connects to an engine; for tcp/ssh hosts docker-modem reads DOCKER_HOST and the DOCKER_TLS_*
 * settings itself. dockerode is loaded on first use: it is large and most runs never need it.
 */
export async function connectDocker(host: string = dockerHost()): Promise<Docker> {
  const { default: DockerClient } = await import('dockerode');
  if (host.startsWith('unix://')) return new DockerClient({ socketPath: host.slice('unix://'.length) });
  return new DockerClient();
}

/** Asks the engine for a ping and its version, giving up after `timeoutMs`. */
export async function probeDockerEngine(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1500): Promise<DockerProbe> {
  const host = dockerHost(env);
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
    return { reachable: false, host, error: explainDockerError(err, host) };
  }
}

function explainDockerError(err: unknown, host: string): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `No Docker engine socket at ${host}; start dockerd or set DOCKER_HOST.`;
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

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
