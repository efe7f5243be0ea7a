// `npm run bench`: prints QLP's figures — activation inside the real extension host, server
// spawn → initialize, the command line's start, bundle and .vsix sizes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../test/support/browser';
import { initializeParams, spawnServer } from '../test/support/lspProcess';
import { cliPath, distDir, repoRoot } from '../test/support/paths';
import { freshProfile, startTestHost, vsixPath } from '../scripts/codeServer';

const runs = Number(process.env.QLP_BENCH_RUNS) || 10;
const hostRuns = Number(process.env.QLP_BENCH_HOST_RUNS) || 3;

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(1)} ms, min ${sorted[0].toFixed(1)}, p90 ${at(0.9).toFixed(1)} (n=${values.length})`;
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

function cliVersion(): number {
  const started = performance.now();
  execFileSync(process.execPath, [cliPath, '--version']);
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

const kb = (path: string) => `${(statSync(path).size / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  console.log('QLP benchmarks\n');
  console.log('Bundle sizes');
  for (const name of ['extension.js', 'server.js', 'cli.js']) console.log(`  dist/${name.padEnd(22)} ${kb(join(distDir, name))}`);
  for (const name of readdirSync(join(distDir, 'webview')).filter((f) => f.endsWith('.js'))) console.log(`  dist/webview/${name.padEnd(14)} ${kb(join(distDir, 'webview', name))}`);
  if (existsSync(vsixPath)) console.log(`  ${'.vsix'.padEnd(27)} ${(statSync(vsixPath).size / 1024 / 1024).toFixed(2)} MB`);

  const init: number[] = [];
  for (let i = 0; i < runs; i++) init.push(await serverInitialize());
  console.log(`\nServer spawn → initialize result: ${summary(init)}`);

  const cli: number[] = [];
  for (let i = 0; i < runs; i++) cli.push(cliVersion());
  console.log(`qlp --version (process start → exit): ${summary(cli)}`);

  const activation: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < hostRuns; i++) {
    const figures = await activationInHost();
    activation.push(figures.activationMs);
    restart.push(figures.restartMs);
  }
  console.log(`\nactivate() entry → return, real extension host: ${summary(activation)}`);
  console.log(`QLP: Restart language server → ready, real extension host: ${summary(restart)}`);
}

main().catch((err: Error) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
