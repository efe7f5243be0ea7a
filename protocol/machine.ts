// What a machine offers the engine: reported by `qlp doctor` and the `qlp/health` request.
// Provider keys are never part of it: only whether a provider is configured and from where.

export interface DockerProbe {
  /** Whether a Docker engine answered a ping. */
  reachable: boolean;
  /** The engine address that was tried (DOCKER_HOST or the default socket). */
  host: string;
  /** The engine's version when it answered. */
  version?: string;
  /** Why it is not reachable, in one sentence. */
  error?: string;
}

export interface BubblewrapProbe {
  available: boolean;
  path?: string;
  version?: string;
  error?: string;
}

export interface StorageProbe {
  path: string;
  writable: boolean;
  error?: string;
}

export const providerIds = ['openai', 'azure', 'anthropic', 'groq', 'local'] as const;
export type ProviderId = (typeof providerIds)[number];

export interface ProviderProbe {
  id: ProviderId;
  configured: boolean;
  /** Where the configuration came from, e.g. an environment variable's name; never a key. */
  source?: string;
  /** The base URL in use, when one is set. */
  baseUrl?: string;
}

export interface NodeProbe {
  version: string;
  supported: boolean;
}

export interface MachineReport {
  node: NodeProbe;
  docker: DockerProbe;
  bubblewrap: BubblewrapProbe;
  storage: StorageProbe;
  providers: ProviderProbe[];
  /** Which sandbox `auto` would pick, or null when none is available. */
  sandbox: 'docker' | 'bwrap' | null;
  /** True when everything the engine needs is there (providers are optional: local servers). */
  ok: boolean;
}
