// What the offline host-bind image offers, asked of this machine's own /usr (the sandbox sees the
// same files read-only). Only fixed, trusted snippets run here; never project code.
import { execFile } from 'node:child_process';

let coverage: Promise<boolean> | undefined;

/** Whether /usr/bin/python3 can import coverage.py (Debian: python3-coverage). */
export function hostPythonHasCoverage(): Promise<boolean> {
  coverage ??= new Promise((resolve) => {
    execFile('/usr/bin/python3', ['-c', 'import coverage'], { env: {}, timeout: 5000 }, (err) => resolve(!err));
  });
  return coverage;
}
