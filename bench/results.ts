// Where benchmarks leave their figures: bench/results/<name>.json, with the machine, the date and
// the commit beside them, so docs quote a file instead of a hand-typed number
// (scripts/doc-tables.ts renders the docs' figure tables from these files).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

export const resultsDir = join(__dirname, 'results');
const repoRoot = dirname(__dirname);

/**
 * The figures with this machine's folders written as names (`<repo>`, `<repo>/..`, `<tmp>`), so a
 * committed file holds no absolute path of the machine that measured it.
 */
export function withoutMachinePaths<T>(figures: T): T {
  // The deepest folder first (a repository may sit in the temporary folder); a tie goes to <tmp>.
  const folders = (
    [
      [repoRoot, '<repo>'],
      [tmpdir(), '<tmp>'],
      [dirname(repoRoot), '<repo>/..'],
    ] as Array<[string, string]>
  ).sort((a, b) => b[0].length - a[0].length);
  return JSON.parse(
    JSON.stringify(figures, (_key, value: unknown) =>
      typeof value === 'string' ? folders.reduce((text, [folder, name]) => text.split(folder).join(name), value) : value,
    ),
  ) as T;
}

export interface Machine {
  cpus: number;
  cpuModel: string | null;
  memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the figures were written. */
  loadAverage: number[];
  node: string;
}

export interface Results<F = unknown> {
  measuredAt: string;
  commit: string | null;
  machine: Machine | null;
  figures: F;
}

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

export function writeResults(name: string, figures: unknown): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  const machine: Machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
  };
  const results: Results = { measuredAt: new Date().toISOString(), commit: commit(), machine, figures: withoutMachinePaths(figures) };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** The figures a bench wrote, or undefined when it has not written them yet. */
export function readResults<F>(name: string, dir = resultsDir): Results<F> | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Results<F>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${join(dir, `${name}.json`)} cannot be read: ${(err as Error).message}`);
  }
}

export interface Spread {
  median: number;
  min: number;
  p90: number;
  max: number;
  n: number;
  runs: number[];
}

const hundredth = (x: number) => Math.round(x * 100) / 100;

/** Median, min, p90 and max of timings (rounded to 0.01), with every run kept. */
export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    median: hundredth(at(0.5)),
    min: hundredth(sorted[0]),
    p90: hundredth(at(0.9)),
    max: hundredth(sorted[sorted.length - 1]),
    n: values.length,
    runs: values.map(hundredth),
  };
}
