// Runs in a warm container, where one container serves many runs: the launcher runs the command,
// then kills every process of the sandbox user (daemons included; not itself, not init), then
// reports the command's status and the container's OOM-kill count in a last stderr line. Nothing
// of the run is alive by then, so that line cannot be forged; it is cut from the output.
import { reusedLauncherScript } from './layout';

const marker = '\u001eqlp-reaped';

const prepare = reusedLauncherScript.replace(' && exec "$@"', ' || exit 125');
export const warmLauncherScript = [
  prepare,
  '"$@"; s=$?',
  'kill -9 -1 2>/dev/null',
  // Shell builtins only from here: every process spawned costs time on each run.
  'o=0; for f in /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory.events; do [ -r $f ] && while read k v; do [ "$k" = oom_kill ] && o=$v; done < $f; done',
  `printf '\\n${marker} %s %s\\n' "$s" "$o" >&2`,
  'exit $s',
].join('; ');

export function warmLaunch(argv: string[]): string[] {
  return ['/bin/sh', '-c', warmLauncherScript, 'qlp-sandbox', ...argv];
}

/** Longest trailer the launcher prints: newline, marker, two numbers, newline. */
const holdBack = 64;

/**
 * Passes stderr through, holding back its last bytes until the end, where the launcher's trailer
 * is read and removed.
 */
export class ReapTrailer {
  private held = Buffer.alloc(0);

  constructor(private readonly forward: (chunk: Buffer) => void) {}

  write(chunk: Buffer): void {
    const all = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    if (all.length <= holdBack) {
      this.held = Buffer.from(all);
      return;
    }
    this.forward(all.subarray(0, all.length - holdBack));
    this.held = Buffer.from(all.subarray(all.length - holdBack));
  }

  /** Flushes what is held; returns the trailer's status and OOM count, when it came. */
  finish(): { status: number; oomKills: number } | undefined {
    const text = this.held.toString('latin1');
    const match = new RegExp(`\\n${marker} (\\d+) (\\d+)\\n$`).exec(text);
    const rest = match ? this.held.subarray(0, match.index) : this.held;
    if (rest.length) this.forward(rest);
    this.held = Buffer.alloc(0);
    return match ? { status: Number(match[1]), oomKills: Number(match[2]) } : undefined;
  }
}
