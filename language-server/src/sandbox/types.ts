// The Sandbox interface: a place where untrusted code runs contained and limited. Two
// implementations (docker.ts, bwrap.ts) lay out the same filesystem for the code inside:
//   /src   the staged project, read-only        /project  a size-limited tmpfs, the working folder
//   /tmp   a size-limited tmpfs (also HOME)     mounts extra read-only folders (dependency caches)
// and the root, /usr and /etc read-only; uid 1000, no capabilities, no new privileges.
import type { SandboxKind, SandboxLimits } from '../../../protocol/sandbox';
import type { CapturedOutput } from './output';
import type { ReportBlock } from './reportBlocks';

export interface SandboxMount {
  /** A folder on this machine. */
  hostPath: string;
  /** Where the code inside sees it (absolute). */
  target: string;
  /** Writable only for trusted tools (installers); tests only ever get read-only mounts. */
  readOnly: boolean;
}

/** What stays the same for every run of a session. */
export interface SessionSpec {
  /** The staged project on this machine, seen read-only at /src and copied into /project per run. */
  sourceDir: string;
  mounts: SandboxMount[];
  /** Outbound network (only ever for dependency installs the user allowed). */
  network: boolean;
  limits: SandboxLimits;
  /** Docker only: the image; empty for the offline host-bind image. */
  image?: string;
  /** Keep one container warm for repeated runs (Docker; bubblewrap starts fresh each run anyway). */
  reuse?: boolean;
}

export interface RunSpec {
  /** The program and its arguments, run in /project after the project has been copied there. */
  argv: string[];
  /** The whole environment of the code inside: an allow-list, nothing from this process. */
  env: Record<string, string>;
  signal?: AbortSignal;
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
  /** Split the report blocks fenced with this nonce off stdout (see reportBlocks.ts). */
  reportNonce?: string;
  /** Told of each report block as soon as it has come. */
  onReport?(block: ReportBlock): void;
}

export interface RunOutcome {
  /** The exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  timedOut: boolean;
  oomKilled: boolean;
  /** The run was stopped by its AbortSignal. */
  cancelled: boolean;
  durationMs: number;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  /** The report blocks split off stdout, when the run asked for them. */
  report?: RunReport;
}

export interface RunReport {
  blocks: ReportBlock[];
  /** Bytes of every block's content, and their sha256 in the order they came. */
  bytes: number;
  sha256: string;
}

export interface SandboxSession {
  run(spec: RunSpec): Promise<RunOutcome>;
  /** Kills whatever still runs and removes what the session created. Safe to call twice. */
  close(): Promise<void>;
}

export interface SandboxEnvironment {
  /** Image name (Docker) or a description of the root (bubblewrap). */
  image: string;
  imageId?: string;
  /** The engine or tool and its version, e.g. `docker 20.10.24` or `bubblewrap 0.8.0`. */
  runtime: string;
}

export interface Sandbox {
  readonly kind: SandboxKind;
  /** Makes sure the sandbox can run (image present, skeleton written); idempotent. */
  prepare(spec: { image?: string; signal?: AbortSignal; onProgress?(message: string): void }): Promise<SandboxEnvironment>;
  open(spec: SessionSpec): Promise<SandboxSession>;
}

/**
 * The sandbox user: never root, and an id no login account has (Debian leaves 65000–65533
 * unallocated), so nothing of the sandbox ever runs as, or owns files of, a real user here.
 */
export const sandboxUid = 65432;
export const sandboxGid = 65432;

/** Why a sandbox cannot be used here: CLI exit 3, a clear sentence in the editor. */
export class SandboxUnavailableError extends Error {
  readonly exitCode = 3;
}

/** The project cannot be tested as given (no such folder, no tests, malformed manifest): CLI exit 2. */
export class SandboxInputError extends Error {
  readonly exitCode = 2;
}

/** Runs a session for one command and closes it. */
export async function runOnce(sandbox: Sandbox, session: SessionSpec, run: RunSpec): Promise<RunOutcome> {
  const opened = await sandbox.open({ ...session, reuse: false });
  try {
    return await opened.run(run);
  } finally {
    await opened.close();
  }
}

/** Whether a process with this id exists (left-overs of dead QLP processes may be removed). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
