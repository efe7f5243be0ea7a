// Where benchmarks leave their figures: bench/results/<name>.json, with the machine, the date and
// the commit beside them, so docs quote a file instead of a hand-typed number.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

export function writeResults(name: string, figures: unknown): string {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, memoryGiB: Math.round(totalmem() / 2 ** 30), loadAverage: loadavg().map((l) => Math.round(l * 100) / 100), node: process.version };
  writeFileSync(file, `${JSON.stringify({ measuredAt: new Date().toISOString(), commit: commit(), machine, figures }, null, 2)}\n`);
  return file;
}
