// `npm run bench`: QLP's start-up figures — activation inside the real extension host, server
// spawn → initialize, the command line's start, bundle and .vsix sizes. Prints them and writes
// bench/results/startup.json.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { launchBrowser } from '../test/support/browser';
import { initializeParams, spawnServer } from '../test/support/lspProcess';
import { cliPath, distDir, repoRoot } from '../test/support/paths';
import { freshProfile, startTestHost, vsixPath } from '../scripts/codeServer';
import { spread, writeResults } from './results';

const runs = Number(process.env.QLP_BENCH_RUNS) || 10;
const hostRuns = Number(process.env.QLP_BENCH_HOST_RUNS) || 3;

function summary(values: number[]): string {
  const s = spread(values);
  return `median ${s.median.toFixed(1)} ms, min ${s.min.toFixed(1)}, p90 ${s.p90.toFixed(1)} (n=${s.n})`;
}

async function serverInitialize(): Promise<number> {
  const started = performance.now();
  const server = spawnServer();
  await server.connection.sendRequest('initialize', initializeParams());
  const ms = performance.now() - started;
  server.child.kill('SIGKILL');
  await server.exited;
  return ms;
}

function processRun(args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, args);
  return performance.now() - started;
}

async function activationInHost(): Promise<{ activationMs: number; restartMs: number }> {
  const profile = freshProfile();
  const out = join(profile.root, 'bench.json');
  profile.env.QLP_BENCH_OUT = out;
  const host = await startTestHost(profile, {
    workspace: join(repoRoot, 'examples', 'hello'),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'test', 'bench', 'index.js'),
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const done = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', resolve));
    await page.goto(host.url);
    const code = await done;
    if (code !== 0 || !existsSync(out)) throw new Error(`the in-host benchmark failed (exit ${code})`);
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    await browser.close();
    await host.stop();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  console.log('QLP benchmarks\n');
  console.log('Bundle sizes');
  const bundles: Record<string, number> = {};
  for (const name of ['extension.js', 'server.js', 'cli.js', 'qlp.js', 'validateWorker.js', 'validateTools.js', 'indexWorker.js', 'generatePanel.js']) {
    if (existsSync(join(distDir, name))) bundles[name] = statSync(join(distDir, name)).size;
  }
  for (const name of readdirSync(join(distDir, 'webview')).filter((f) => f.endsWith('.js')))
    bundles[`webview/${name}`] = statSync(join(distDir, 'webview', name)).size;
  for (const [name, bytes] of Object.entries(bundles)) console.log(`  dist/${name.padEnd(22)} ${kb(bytes)}`);
  const vsix = existsSync(vsixPath) ? { file: basename(vsixPath), bytes: statSync(vsixPath).size } : null;
  if (vsix) console.log(`  ${vsix.file.padEnd(27)} ${(vsix.bytes / 1024 / 1024).toFixed(2)} MB`);

  const init: number[] = [];
  for (let i = 0; i < runs; i++) init.push(await serverInitialize());
  console.log(`\nServer spawn → initialize result: ${summary(init)}`);

  const cli: number[] = [];
  const nodeAlone: number[] = [];
  for (let i = 0; i < runs; i++) {
    cli.push(processRun([cliPath, '--version']));
    nodeAlone.push(processRun(['-e', '0']));
  }
  console.log(`qlp --version (process start → exit): ${summary(cli)}; node -e 0 alone: ${summary(nodeAlone)}`);

  const activation: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < hostRuns; i++) {
    const figures = await activationInHost();
    activation.push(figures.activationMs);
    restart.push(figures.restartMs);
  }
  console.log(`\nactivate() entry → return, real extension host: ${summary(activation)}`);
  console.log(`QLP: Restart language server → ready, real extension host: ${summary(restart)}`);
  const file = writeResults('startup', {
    bundles,
    vsix,
    serverInitializeMs: spread(init),
    cliVersionMs: spread(cli),
    nodeAloneMs: spread(nodeAlone),
    activationMs: spread(activation),
    restartMs: spread(restart),
  });
  console.log(`\nWritten to ${file}`);
}

main().catch((err: Error) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
