// `node --import tsx bench/firstHour.ts`: how long a new user waits from a fresh checkout to a
// first project, with no model: `npm ci` (with an empty npm cache, as on a new machine, unless
// QLP_BENCH_WARM_CACHE=1), `npm run bundle`, then `qlp generate --replay sample` (the shipped
// recording: validation and the sandboxed tests run for real). Run in a scratch clone of this
// checkout's HEAD, so the working tree is never touched. Figures: bench/results/first-hour.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../test/support/paths';
import { writeResults } from './results';

interface Step {
  seconds: number;
  stdout: string;
  stderr: string;
}

function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Step {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${run.status}:\n${run.stderr.slice(-2000)}`);
  return { seconds, stdout: run.stdout, stderr: run.stderr };
}

function main(): void {
  if (spawnSync('pgrep', ['-f', 'npm (ci|install)']).status === 0)
    throw new Error('another npm ci or npm install is running; run the bench when it has finished.');
  const scratch = mkdtempSync(join(tmpdir(), 'qlp-first-hour-'));
  chmodSync(scratch, 0o755);
  const clone = join(scratch, 'qlp');
  const warmCache = process.env.QLP_BENCH_WARM_CACHE === '1';
  try {
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', repoRoot, clone]);
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: clone, encoding: 'utf8' }).trim();
    const npmEnv = {
      ...process.env,
      ...(warmCache ? {} : { npm_config_cache: join(scratch, 'npm-cache') }),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    const install = timed('npm', ['ci'], clone, npmEnv);
    const bundle = timed('npm', ['run', '--silent', 'bundle'], clone, npmEnv);

    // A new workspace and data folder: no capsule store, no code cache, no model configured.
    const workspace = join(scratch, 'workspace');
    const home = join(scratch, 'qlp-home');
    mkdirSync(workspace);
    mkdirSync(home);
    chmodSync(home, 0o755);
    const replayEnv = { PATH: process.env.PATH, HOME: scratch, QLP_HOME: home, XDG_CACHE_HOME: join(scratch, 'cache') };
    const replay = timed(
      process.execPath,
      [join(clone, 'dist', 'cli.js'), 'generate', '--replay', 'sample', '--out', 'first-project', '--json'],
      workspace,
      replayEnv,
    );
    const result = JSON.parse(replay.stdout) as { status: string; reproduced?: boolean; files: string[]; tests: unknown };
    const packages = /added (\d+) packages/.exec(install.stdout + install.stderr)?.[1];

    const file = writeResults('first-hour', {
      what: 'fresh clone → npm ci → npm run bundle → qlp generate --replay sample (no model, no network for the replay)',
      clonedCommit: commit,
      npmCache: warmCache ? "warm (the user's npm cache)" : 'empty (a new machine: every package downloaded from the registry)',
      npmCiSeconds: install.seconds,
      packagesInstalled: packages ? Number(packages) : null,
      bundleSeconds: bundle.seconds,
      replaySeconds: replay.seconds,
      totalSeconds: Math.round((install.seconds + bundle.seconds + replay.seconds) * 10) / 10,
      replay: { status: result.status, reproduced: result.reproduced ?? null, files: result.files.length, tests: result.tests },
    });
    console.log(
      `npm ci ${install.seconds} s, bundle ${bundle.seconds} s, replay ${replay.seconds} s (${result.status}${result.reproduced ? ', reproduced' : ''}) → ${file}`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
