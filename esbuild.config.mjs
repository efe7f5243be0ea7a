// Bundles every part of QLP (minified, with external source maps). `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { chmod, cp, mkdir, readFile } from 'node:fs/promises';

const watch = process.argv.includes('--watch');
const pkg = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  sourcesContent: false,
  minify: true,
  logLevel: 'warning',
  define: { __QLP_VERSION__: JSON.stringify(pkg.version) },
  // Native modules stay outside the bundle (they ship in the .vsix); ssh2's optional native
  // helpers are skipped (it falls back to pure JavaScript).
  external: ['cpu-features', '*.node'],
};

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  { ...node, entryPoints: { extension: 'extension/src/main.ts' }, outdir: 'dist', external: [...node.external, 'vscode'] },
  { ...node, entryPoints: { server: 'language-server/src/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'language-server/src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    sourcemap: true,
    minify: true,
    logLevel: 'warning',
    entryPoints: { status: 'webview/src/status.ts', usage: 'webview/src/usage.ts' },
    outdir: 'dist/webview',
  },
  // The in-host test suites and benchmark probe (mocha inside the real extension host).
  {
    ...node,
    entryPoints: {
      'suite/index': 'test/e2e/suite/index.ts',
      // The suite alone, for @vscode/test-cli, which loads test files into its own mocha.
      'suite/extension.test': 'test/e2e/suite/extension.test.ts',
      'bench/index': 'bench/inHost/index.ts',
    },
    outdir: 'out/test',
    external: [...node.external, 'vscode', 'mocha'],
  },
];

async function copyAssets() {
  await mkdir('dist/webview', { recursive: true });
  await cp('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css');
  await cp('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf');
}

if (watch) {
  const contexts = await Promise.all(targets.map((options) => context(options)));
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  await copyAssets();
  console.log('esbuild: watching for changes…');
} else {
  const started = performance.now();
  await Promise.all(targets.map((options) => build(options)));
  await copyAssets();
  await chmod('dist/cli.js', 0o755);
  console.log(`esbuild: bundled in ${Math.round(performance.now() - started)} ms`);
}
