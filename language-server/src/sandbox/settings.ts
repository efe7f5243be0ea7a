// The sandbox's settings, from the editor's `qlp.sandbox` section or the command line's
// environment (QLP_SANDBOX_*), with the defaults and bounds of protocol/settings.ts.
import { sandboxModes, stackIds, type SandboxLimits, type SandboxMode, type StackId } from '../../../protocol/sandbox';
import { settingsSchema, type SettingId } from '../../../protocol/settings';
import { SandboxInputError } from './types';

export interface SandboxSettings {
  mode: SandboxMode;
  limits: SandboxLimits;
  /** Image per stack; empty means the offline host-bind image. */
  images: Record<StackId, string>;
  allowNetworkForInstall: boolean;
}

type Section = Record<string, unknown>;

/** A number setting clamped to its declared bounds; `fallback` when absent or not a number. */
function bounded(id: SettingId, value: unknown): number {
  const spec = settingsSchema[id];
  const n = typeof value === 'number' && Number.isFinite(value) ? value : (spec.default as number);
  return Math.min(spec.maximum ?? Infinity, Math.max(spec.minimum ?? -Infinity, n));
}

function images(value: unknown): Record<StackId, string> {
  const given = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(stackIds.map((id) => [id, typeof given[id] === 'string' ? (given[id] as string).trim() : ''])) as Record<StackId, string>;
}

/** From the editor's `qlp` section, as `workspace/configuration` returns it (nested objects). */
export function sandboxSettingsFromEditor(qlp: Section | null | undefined): SandboxSettings {
  const s = ((qlp?.sandbox as Section | undefined) ?? {}) as Section;
  const mode = sandboxModes.includes(s.mode as SandboxMode) ? (s.mode as SandboxMode) : 'auto';
  return {
    mode,
    limits: {
      cpus: bounded('qlp.sandbox.cpus', s.cpus),
      memoryMb: bounded('qlp.sandbox.memoryMb', s.memoryMb),
      pids: bounded('qlp.sandbox.pids', s.pids),
      timeoutSeconds: bounded('qlp.sandbox.timeoutSeconds', s.timeoutSeconds),
      diskMb: bounded('qlp.sandbox.diskMb', s.diskMb),
      outputBytes: bounded('qlp.sandbox.outputKb', s.outputKb) * 1024,
    },
    images: images(s.image),
    allowNetworkForInstall: s.allowNetworkForInstall === true,
  };
}

const envNames: Record<string, string> = {
  mode: 'QLP_SANDBOX_MODE',
  cpus: 'QLP_SANDBOX_CPUS',
  memoryMb: 'QLP_SANDBOX_MEMORY_MB',
  pids: 'QLP_SANDBOX_PIDS',
  timeoutSeconds: 'QLP_SANDBOX_TIMEOUT_SECONDS',
  diskMb: 'QLP_SANDBOX_DISK_MB',
  outputKb: 'QLP_SANDBOX_OUTPUT_KB',
  allowNetworkForInstall: 'QLP_SANDBOX_ALLOW_NETWORK_FOR_INSTALL',
};

/** From the environment; a malformed variable is bad input, said in one sentence. */
export function sandboxSettingsFromEnvironment(env: NodeJS.ProcessEnv): SandboxSettings {
  const section: Section = {};
  for (const [key, name] of Object.entries(envNames)) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    if (key === 'mode') section.mode = parseMode(raw, name);
    else if (key === 'allowNetworkForInstall') {
      if (!/^(1|0|true|false)$/.test(raw)) throw new SandboxInputError(`${name} must be true or false, got '${raw}'.`);
      section[key] = raw === '1' || raw === 'true';
    } else {
      const n = Number(raw);
      if (!Number.isFinite(n) || n <= 0) throw new SandboxInputError(`${name} must be a positive number, got '${raw}'.`);
      section[key] = n;
    }
  }
  section.image = Object.fromEntries(stackIds.map((id) => [id, env[`QLP_SANDBOX_IMAGE_${id.toUpperCase()}`] ?? '']));
  return sandboxSettingsFromEditor({ sandbox: section });
}

export function parseMode(raw: string, what: string): SandboxMode {
  if (!sandboxModes.includes(raw as SandboxMode)) throw new SandboxInputError(`${what} must be one of ${sandboxModes.join(', ')}, got '${raw}'.`);
  return raw as SandboxMode;
}
