// Gets sandboxes ready ahead of the first run: the offline image (or configured images) in the
// Docker engine, the skeleton for bubblewrap, stale leftovers of crashed runs removed, and one
// tiny run in each to prove it works (as the sandbox user, not root).
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stackIds, type SandboxKind } from '../../../protocol/sandbox';
import { sandboxEnvironment } from './environment';
import { sandboxDataDir } from './layout';
import { selectSandbox } from './select';
import type { SandboxSettings } from './settings';
import { DockerSandbox } from './docker';
import { runOnce, sandboxUid } from './types';

export interface PreparedSandbox {
  kind: SandboxKind;
  ready: boolean;
  /** Images made ready (Docker), or the root used (bubblewrap). */
  images: Array<{ image: string; imageId?: string }>;
  runtime?: string;
  /** How long a run of `id -u` took, create to remove. */
  smokeRunMs?: number;
  /** Leftover containers of crashed runs that were removed. */
  removedStale?: number;
  error?: string;
}

export interface PrepareOptions {
  settings: SandboxSettings;
  storageDir: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?(message: string): void;
}

async function prepareOne(kind: SandboxKind, options: PrepareOptions): Promise<PreparedSandbox> {
  const dataDir = sandboxDataDir(options.storageDir);
  const empty = join(dataDir, 'runs', `prepare-${process.pid}`);
  try {
    const sandbox = await selectSandbox(kind, { env: options.env, dataDir });
    const removedStale = sandbox instanceof DockerSandbox ? await sandbox.removeStaleContainers() : undefined;
    const wanted = kind === 'docker' ? ['', ...new Set(stackIds.map((s) => options.settings.images[s]).filter(Boolean))] : [''];
    const images: PreparedSandbox['images'] = [];
    let runtime: string | undefined;
    for (const image of wanted) {
      const env = await sandbox.prepare({ image, signal: options.signal, onProgress: options.onProgress });
      images.push({ image: env.image, ...(env.imageId ? { imageId: env.imageId } : {}) });
      runtime = env.runtime;
    }
    await mkdir(empty, { recursive: true, mode: 0o755 });
    const started = performance.now();
    const outcome = await runOnce(
      sandbox,
      { sourceDir: empty, mounts: [], network: false, limits: { ...options.settings.limits, timeoutSeconds: 30 } },
      { argv: ['/bin/sh', '-c', 'id -u'], env: sandboxEnvironment({ phase: 'test' }), signal: options.signal },
    );
    const smokeRunMs = Math.round(performance.now() - started);
    const uid = outcome.stdout.text.trim();
    if (outcome.exitCode !== 0 || uid !== String(sandboxUid)) {
      throw new Error(`A trial run in the ${kind} sandbox failed (exit ${outcome.exitCode}, uid '${uid}'): ${outcome.stderr.text.trim().split('\n')[0] ?? ''}`);
    }
    return { kind, ready: true, images, runtime, smokeRunMs, ...(removedStale !== undefined ? { removedStale } : {}) };
  } catch (err) {
    return { kind, ready: false, images: [], error: (err as Error).message };
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
}

/** Prepares the sandbox of `mode`, or with `auto` every sandbox this machine can offer. */
export async function prepareSandboxes(mode: SandboxSettings['mode'], options: PrepareOptions): Promise<PreparedSandbox[]> {
  const kinds: SandboxKind[] = mode === 'auto' ? ['docker', 'bwrap'] : [mode];
  const results: PreparedSandbox[] = [];
  for (const kind of kinds) results.push(await prepareOne(kind, options));
  return results;
}
