// The daemon-less sandbox: bubblewrap in fresh namespaces (user, pid, net, ipc, uts, cgroup) over
// the host-bind skeleton, limited by a cgroup per run. As root, privileges are dropped to the
// sandbox user with setpriv first (no capabilities, no new privileges), then bwrap runs unprivileged.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SandboxLimits } from '../../../protocol/sandbox';
import { probeBubblewrap, findOnPath } from '../machine/bubblewrap';
import { Cgroup, detectCgroups, pruneStaleCgroups } from './cgroup';
import { launch, paths } from './layout';
import { RunOutput } from './runOutput';
import { seccompFilter } from './seccomp';
import { hostBinds, rootLinks, writeSkeletonEtc } from './skeleton';
import {
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

export interface BwrapOptions {
  /** Folder for the skeleton /etc (reachable by the sandbox user). */
  dataDir: string;
  /** PATH to find bwrap and setpriv on. */
  pathVariable?: string;
}

export class BwrapSandbox implements Sandbox {
  readonly kind = 'bwrap' as const;
  private tools: { bwrap: string; setpriv?: string; version: string } | undefined;
  private etcDir: string | undefined;

  constructor(private readonly options: BwrapOptions) {}

  async prepare(): Promise<SandboxEnvironment> {
    if (!this.tools) {
      const probe = await probeBubblewrap(this.options.pathVariable);
      if (!probe.available || !probe.path) throw new SandboxUnavailableError(probe.error ?? 'bubblewrap is not available.');
      const asRoot = process.getuid?.() === 0;
      const setpriv = asRoot ? await findOnPath('setpriv', this.options.pathVariable) : undefined;
      if (asRoot && !setpriv) throw new SandboxUnavailableError('setpriv (util-linux) is not on PATH; bubblewrap needs it to drop root before sandboxing.');
      const cgroups = detectCgroups();
      if ('error' in cgroups) throw new SandboxUnavailableError(cgroups.error);
      this.tools = { bwrap: probe.path, setpriv, version: probe.version ?? 'unknown' };
      await pruneStaleCgroups();
    }
    this.etcDir ??= await writeSkeletonEtc(this.options.dataDir);
    return { image: 'host /usr (read-only) + skeleton /etc', runtime: `bubblewrap ${this.tools.version}${seccompFilter() ? ' + seccomp' : ''}` };
  }

  async open(spec: SessionSpec): Promise<SandboxSession> {
    if (spec.image) throw new SandboxUnavailableError(`bubblewrap cannot run the image '${spec.image}'; use the Docker sandbox for images.`);
    await this.prepare();
    const argv = this.bwrapArgs(spec);
    return {
      run: (run) => this.runOnce(argv, spec.limits, run),
      close: async () => undefined,
    };
  }

  private bwrapArgs(spec: SessionSpec): string[] {
    const mib = (n: number) => String(n * 1024 * 1024);
    // A nested user namespace would make the code root in it: disabled (Docker's seccomp does the same).
    const args = ['--unshare-all', '--unshare-user', '--disable-userns', ...(spec.network ? ['--share-net'] : []), '--die-with-parent', '--new-session'];
    args.push('--ro-bind', this.etcDir!, '/etc');
    for (const bind of hostBinds()) args.push('--ro-bind', bind.hostPath, bind.target);
    for (const [link, target] of Object.entries(rootLinks)) if (existsSync(`/${target}`)) args.push('--symlink', target, `/${link}`);
    if (spec.network) for (const file of ['/etc/resolv.conf', '/etc/ssl']) args.push('--ro-bind-try', file, file);
    args.push('--proc', '/proc', '--dev', '/dev');
    args.push('--size', mib(spec.limits.diskMb), '--tmpfs', '/tmp');
    args.push('--size', mib(spec.limits.diskMb), '--tmpfs', paths.work);
    args.push('--ro-bind', spec.sourceDir, paths.source);
    for (const m of spec.mounts) args.push(m.readOnly ? '--ro-bind' : '--bind', m.hostPath, m.target);
    if (process.getuid?.() !== 0) args.push('--uid', String(sandboxUid), '--gid', String(sandboxGid));
    args.push('--chdir', paths.work, '--cap-drop', 'ALL', '--remount-ro', '/');
    return args;
  }

  private async runOnce(bwrapArgs: string[], limits: SandboxLimits, run: RunSpec): Promise<RunOutcome> {
    const started = performance.now();
    const output = new RunOutput(limits.outputBytes, run);
    const cgroup = await Cgroup.create(limits);
    const envArgs = ['--clearenv', ...Object.entries(run.env).flatMap(([k, v]) => ['--setenv', k, v])];
    // bwrap reads its options from fd 3 (so the sandbox's /proc/1/cmdline shows no host paths)
    // and the seccomp filter from fd 4.
    const filter = seccompFilter();
    const options = Buffer.from([...bwrapArgs, ...envArgs, ...(filter ? ['--seccomp', '4'] : [])].map((a) => `${a}\0`).join(''));
    const sandboxed = [this.tools!.bwrap, '--args', '3', '--', ...launch(run.argv)];
    const dropped = this.tools!.setpriv
      ? [
          this.tools!.setpriv,
          '--reuid',
          String(sandboxUid),
          '--regid',
          String(sandboxGid),
          '--clear-groups',
          '--no-new-privs',
          '--inh-caps=-all',
          '--bounding-set=-all',
          ...sandboxed,
        ]
      : sandboxed;
    // The launcher joins the run's cgroup before anything untrusted starts, then becomes bwrap.
    const child = spawn('/bin/sh', ['-c', `${cgroup.joinScript()} && exec "$@"`, 'qlp-join', ...dropped], {
      env: {},
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    });
    for (const [fd, data] of [
      [3, options],
      [4, filter ?? Buffer.alloc(0)],
    ] as const) {
      const pipe = child.stdio[fd] as NodeJS.WritableStream;
      pipe.on('error', () => undefined);
      pipe.end(data);
    }
    let timedOut = false;
    let cancelled = false;
    const stop = () => void cgroup.killAll();
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, limits.timeoutSeconds * 1000);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (run.signal?.aborted) onAbort();
    run.signal?.addEventListener('abort', onAbort);
    child.stdout!.on('data', output.stdout);
    child.stderr!.on('data', output.stderr);
    try {
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, signal) => resolve({ code, signal }));
      });
      // Whatever the command left behind (daemons, double forks) goes with it.
      await cgroup.killAll();
      const oomKilled = (await cgroup.oomKills()) > 0;
      return {
        exitCode: exit.code,
        timedOut,
        oomKilled,
        cancelled,
        durationMs: Math.round(performance.now() - started),
        ...output.finish(),
      };
    } finally {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      await cgroup.killAll();
      await cgroup.remove();
    }
  }
}
