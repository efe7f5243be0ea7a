import { spawn, type ChildProcess } from 'node:child_process';
import { cliPath, requireBuilt } from './paths';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `qlp` as a process, with only the environment given (plus PATH unless set), in `cwd`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [requireBuilt(cliPath), ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A `qlp` started in the background, its stderr collected, to interrupt with Ctrl+C. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; stderr(): string } {
  const child = spawn(process.execPath, [requireBuilt(cliPath), ...args], { env: { PATH: process.env.PATH, ...env } });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  return { child, stderr: () => stderr };
}

/** Sends Ctrl+C and waits for the exit: the code, and how long after the signal it came. */
export async function interrupt(child: ChildProcess): Promise<{ code: number | null; afterMs: number }> {
  const at = Date.now();
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGINT');
  const code = await exited;
  return { code, afterMs: Date.now() - at };
}
