import { spawn } from 'node:child_process';
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
