// A private PostgreSQL cluster on loopback for the backend tests: initdb into a temporary folder,
// pg_ctl start on a free port, stopped and removed at the end. Never a system service.
//
// When the server binaries are missing the tests fail, unless QLP_TEST_NO_POSTGRES=1 says
// PostgreSQL is knowingly absent (outside CI only; `.ci/run` installs Debian's postgresql).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/codeServer';

export interface PostgresCluster {
  url: string;
  stop(): void;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'pg_ctl')));
}

/** Why the PostgreSQL tests may skip, or undefined when they must run (and fail if they cannot). */
export function postgresSkipReason(): string | undefined {
  if (binDir()) return undefined;
  if (process.env.QLP_TEST_NO_POSTGRES === '1' && !process.env.CI) return 'PostgreSQL is not installed (QLP_TEST_NO_POSTGRES=1)';
  return undefined;
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = binDir();
  if (!bin)
    throw new Error(
      "PostgreSQL server binaries are missing: install Debian's postgresql (as .ci/run does), or set QLP_TEST_NO_POSTGRES=1 outside CI to skip these tests.",
    );
  const dir = mkdtempSync(join(tmpdir(), 'qlp-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, cmd), asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args, { stdio: 'pipe', timeout: 60_000 });
  run('initdb', ['-D', data, '-U', 'qlp', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  let stopped = false;
  return {
    url: `postgres://qlp@127.0.0.1:${port}/postgres`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
