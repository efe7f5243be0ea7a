// Limits for bubblewrap runs: one cgroup per run (v1: memory, pids, cpu and freezer hierarchies;
// v2: one unified folder), joined by the sandbox's launcher before it drops privileges, emptied
// with SIGKILL at the end (frozen first, so nothing forks while being killed), then removed.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxLimits } from '../../../protocol/sandbox';
import { processAlive } from './types';

export const cgroupRoot = '/sys/fs/cgroup';
const groupName = 'qlp-sandbox';
let counter = 0;

export type CgroupVersion = 1 | 2;

/** Which cgroup layout this machine has, and whether this process may create groups in it. */
export function detectCgroups(root = cgroupRoot): { version: CgroupVersion } | { error: string } {
  if (existsSync(join(root, 'cgroup.controllers'))) return { version: 2 };
  if (existsSync(join(root, 'memory', 'memory.limit_in_bytes')) && existsSync(join(root, 'pids')) && existsSync(join(root, 'cpu'))) return { version: 1 };
  return { error: `No memory, pids and cpu cgroup controllers under ${root}; bubblewrap cannot limit the sandbox here.` };
}

export class Cgroup {
  private constructor(
    readonly version: CgroupVersion,
    /** Every folder that holds the run's processes (one per v1 hierarchy, one for v2). */
    readonly dirs: string[],
    private readonly freezer: string | undefined,
  ) {}

  /** Creates the run's cgroup with `limits` written; throws a clear error when not permitted. */
  static async create(limits: SandboxLimits, root = cgroupRoot): Promise<Cgroup> {
    const detected = detectCgroups(root);
    if ('error' in detected) throw new Error(detected.error);
    const id = `run-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
    const memory = String(limits.memoryMb * 1024 * 1024);
    try {
      if (detected.version === 1) {
        const dir = (controller: string) => join(root, controller, groupName, id);
        const freezer = existsSync(join(root, 'freezer')) ? dir('freezer') : undefined;
        const dirs = [dir('memory'), dir('pids'), dir('cpu'), ...(freezer ? [freezer] : [])];
        for (const d of dirs) await mkdir(d, { recursive: true });
        const group = new Cgroup(1, dirs, freezer);
        await writeFile(join(dir('memory'), 'memory.limit_in_bytes'), memory);
        // Swap is not added on top of memory (memsw exists only with swap accounting).
        if (existsSync(join(dir('memory'), 'memory.memsw.limit_in_bytes'))) await writeFile(join(dir('memory'), 'memory.memsw.limit_in_bytes'), memory);
        await writeFile(join(dir('pids'), 'pids.max'), String(limits.pids));
        await writeFile(join(dir('cpu'), 'cpu.cfs_period_us'), '100000');
        await writeFile(join(dir('cpu'), 'cpu.cfs_quota_us'), String(Math.max(1000, Math.round(limits.cpus * 100000))));
        return group;
      }
      const parent = join(root, groupName);
      await mkdir(parent, { recursive: true });
      await writeFile(join(parent, 'cgroup.subtree_control'), '+memory +pids +cpu').catch(() => undefined);
      const dir = join(parent, id);
      await mkdir(dir);
      const group = new Cgroup(2, [dir], dir);
      await writeFile(join(dir, 'memory.max'), memory);
      if (existsSync(join(dir, 'memory.swap.max'))) await writeFile(join(dir, 'memory.swap.max'), '0');
      await writeFile(join(dir, 'pids.max'), String(limits.pids));
      await writeFile(join(dir, 'cpu.max'), `${Math.max(1000, Math.round(limits.cpus * 100000))} 100000`);
      return group;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new Error(`Cannot create a cgroup under ${root} (${code}); bubblewrap limits need root or a delegated cgroup. Use Docker, or run QLP as root.`);
      }
      throw err;
    }
  }

  /** Shell lines that move the shell itself (`$$`) into every folder of the group. */
  joinScript(): string {
    return this.dirs.map((d) => `echo $$ > '${d}/cgroup.procs'`).join(' && ');
  }

  /** Process ids in the group right now. */
  async pids(): Promise<number[]> {
    const all = new Set<number>();
    for (const d of this.dirs) {
      const text = await readFile(join(d, 'cgroup.procs'), 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (line.trim()) all.add(Number(line));
    }
    return [...all];
  }

  /** How many processes the kernel's OOM killer took in this group. */
  async oomKills(): Promise<number> {
    const file = this.version === 1 ? join(this.dirs[0], 'memory.oom_control') : join(this.dirs[0], 'memory.events');
    const text = await readFile(file, 'utf8').catch(() => '');
    return Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
  }

  /** SIGKILLs every process of the group, detached ones included, until it is empty. */
  async killAll(): Promise<void> {
    if (this.version === 2 && existsSync(join(this.dirs[0], 'cgroup.kill'))) await writeFile(join(this.dirs[0], 'cgroup.kill'), '1').catch(() => undefined);
    await this.setFrozen(true);
    for (let round = 0; round < 100; round++) {
      const pids = await this.pids();
      if (!pids.length) break;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await this.setFrozen(false);
      await new Promise((r) => setTimeout(r, round < 10 ? 5 : 20));
      if (round < 99) await this.setFrozen(true);
    }
    await this.setFrozen(false);
  }

  /** Removes the group's folders (after killAll). */
  async remove(): Promise<void> {
    for (const d of this.dirs) {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          await rmdir(d);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') break;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    }
  }

  private async setFrozen(frozen: boolean): Promise<void> {
    if (!this.freezer) return;
    if (this.version === 1) await writeFile(join(this.freezer, 'freezer.state'), frozen ? 'FROZEN' : 'THAWED').catch(() => undefined);
    else await writeFile(join(this.freezer, 'cgroup.freeze'), frozen ? '1' : '0').catch(() => undefined);
  }
}

/** Removes empty run groups left behind by QLP processes that no longer exist. */
export async function pruneStaleCgroups(root = cgroupRoot): Promise<void> {
  const parents = existsSync(join(root, 'cgroup.controllers'))
    ? [join(root, groupName)]
    : ['memory', 'pids', 'cpu', 'freezer'].map((c) => join(root, c, groupName));
  for (const parent of parents) {
    const entries = await readdir(parent).catch(() => [] as string[]);
    for (const name of entries) {
      const pid = Number(/^run-(\d+)-/.exec(name)?.[1]);
      if (!pid || processAlive(pid)) continue;
      await rmdir(join(parent, name)).catch(() => undefined);
    }
  }
}
