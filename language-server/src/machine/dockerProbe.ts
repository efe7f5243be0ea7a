// Whether this machine's Docker engine answers, for `qlp doctor`, the Status view and the
// sandbox's choice; in one sentence when it does not (machine/dockerEngine.ts, the adapter over
// dockerode, connects and words the failure).
import type { DockerProbe } from '../../../protocol/machine';
import { DockerEngine, dockerHost, explainDockerError } from './dockerEngine';

/** Asks the engine for a ping and its version, giving up after `timeoutMs`. */
export async function probeDockerEngine(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 1500,
  platform: NodeJS.Platform = process.platform,
): Promise<DockerProbe> {
  const host = dockerHost(env, platform);
  try {
    const version = await (await DockerEngine.connect(host)).ping(timeoutMs);
    return { reachable: true, host, version };
  } catch (err) {
    return { reachable: false, host, error: explainDockerError(err, host, platform) };
  }
}
