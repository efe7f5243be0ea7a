// Bundles every part of QLP (minified, with external source maps). `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as tar from 'tar';

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
  external: ['cpu-features', '*.node', '@lancedb/lancedb-*'],
};

/**
 * eslint-plugin-es-x (through SDL's eslint-plugin-n) builds legacy configs with
 * `require.resolve("./other-config")` when it loads, and requires TypeScript through a helper
 * that bundlers cannot see. Bundled, the plain path does the first job, and a plain require
 * shares the bundle's TypeScript instead of loading a second copy from node_modules.
 * @type {import('esbuild').Plugin}
 */
const esxBundling = {
  name: 'es-x-bundling',
  setup(b) {
    b.onLoad({ filter: /eslint-plugin-es-x[\\/]lib[\\/].*\.js$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8'))
        .replace(/require\.resolve\(("[^"]+")\)/g, '$1')
        .replace(/optionalRequire\(require, "typescript"\)/g, 'require("typescript")'),
      loader: 'js',
    }));
  },
};

/**
 * Escapes the few non-ASCII characters esbuild leaves in regular expressions (as \uXXXX, which
 * means the same there), so the code-cache loader reads the bundle as Latin-1: ten times faster
 * than decoding UTF-8.
 * @type {(file: string) => import('esbuild').Plugin}
 */
const asciiOutput = (file) => ({
  name: 'ascii-output',
  setup(b) {
    b.onEnd(async (result) => {
      if (result.errors.length) return;
      const text = await readFile(file, 'utf8');
      const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      if (ascii !== text) await writeFile(file, ascii);
    });
  },
});

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  { ...node, entryPoints: { extension: 'extension/src/main.ts' }, outdir: 'dist', external: [...node.external, 'vscode'] },
  // The generation panel's host, required by the extension on first use.
  { ...node, entryPoints: { generatePanel: 'extension/src/panels/generatePanel.ts' }, outdir: 'dist', external: [...node.external, 'vscode'] },
  { ...node, entryPoints: { server: 'language-server/src/lsp/main.ts' }, outdir: 'dist' },
  // `qlp` runs with the language server's malloc settings (protocol/allocator.ts; the CLI test
  // checks the two agree).
  {
    ...node,
    entryPoints: { cli: 'language-server/src/cli/entry.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072 node' },
  },
  // The command line itself, which dist/cli.js loads through the code cache. Its dynamic imports
  // become requires: an import() in code that vm.Script compiled goes through Node's experimental
  // vm.USE_MAIN_CONTEXT_DEFAULT_LOADER, which prints an ExperimentalWarning on stderr.
  {
    ...node,
    entryPoints: { qlp: 'language-server/src/cli/main.ts' },
    outdir: 'dist',
    external: [...node.external, '@huggingface/transformers'],
    supported: { 'dynamic-import': false },
    plugins: [asciiOutput('dist/qlp.js')],
  },
  // The team backend (fastify, pg, PGlite): its own bundle, never part of extension.js or
  // server.js; `qlp serve` loads it from beside cli.js. PGlite's assets are copied next to it.
  // PGlite's ES module build finds itself through import.meta.url, which a CommonJS bundle lacks;
  // its CommonJS build uses __filename.
  {
    ...node,
    entryPoints: { backend: 'backend/src/main.ts' },
    outdir: 'dist',
    external: [...node.external, 'pg-native'],
    alias: { '@electric-sql/pglite': './node_modules/@electric-sql/pglite/dist/index.cjs' },
  },
  // Validation's worker thread: TypeScript, ESLint, Ruff, secretlint. Kept out of server.js so
  // the server starts fast; loaded on the first validation. The worker itself is small (pyright
  // starts before the rest loads); its tools (validateTools.js) load on first use, through the
  // code cache. ESLint's loader for TypeScript configs (jiti) is optional and not shipped.
  // jsonc-parser's UMD build requires its parts dynamically; its ES module build bundles.
  {
    ...node,
    entryPoints: { validateWorker: 'language-server/src/validate/worker/validateWorker.ts' },
    outdir: 'dist',
    external: [...node.external, 'pyright/index.js'],
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  },
  {
    ...node,
    entryPoints: { validateTools: 'language-server/src/validate/tools/all.ts' },
    outdir: 'dist',
    external: [...node.external, 'jiti', 'jiti/package.json'],
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    plugins: [esxBundling],
  },
  // The index's worker thread: tree-sitter, the embedders and LanceDB (its native library beside it).
  {
    ...node,
    entryPoints: { indexWorker: 'language-server/src/index/worker/indexWorker.ts' },
    outdir: 'dist',
    external: [...node.external, '@huggingface/transformers'],
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    sourcemap: true,
    minify: true,
    logLevel: 'warning',
    entryPoints: { status: 'webview/src/status.ts', usage: 'webview/src/usage.ts', generate: 'webview/src/generate.ts', search: 'webview/src/search.ts' },
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

/** Files the validation tools read at run time, beside the worker bundle. */
async function copyValidationAssets() {
  await cp('node_modules/@astral-sh/ruff-wasm-nodejs/ruff_wasm_bg.wasm', 'dist/ruff_wasm_bg.wasm');
  await mkdir('dist/typescript-lib', { recursive: true });
  for (const name of await readdir('node_modules/typescript/lib')) {
    if (/^lib\..*\.d\.ts$/.test(name)) await cp(`node_modules/typescript/lib/${name}`, `dist/typescript-lib/${name}`);
  }
  // pyright runs as its own process from its own files, type stubs included: over 5,000 files,
  // shipped as one archive that the worker unpacks into a cache on first use.
  const version = JSON.parse(await readFile('node_modules/pyright/package.json', 'utf8')).version;
  const archive = `dist/pyright-${version}.tgz`;
  if (!existsSync(archive)) {
    for (const old of (await readdir('dist')).filter((n) => /^pyright-.*\.tgz$/.test(n))) await rm(`dist/${old}`);
    await tar.c({ gzip: true, file: archive, cwd: 'node_modules/pyright', portable: true, filter: (path) => !path.endsWith('.map') }, ['.']);
  }
}

/** PGlite's WebAssembly and file-system bundle, which the embedded database loads beside backend.js. */
async function copyBackendAssets() {
  for (const name of ['pglite.wasm', 'initdb.wasm', 'pglite.data']) await cp(`node_modules/@electric-sql/pglite/dist/${name}`, `dist/${name}`);
}

/** The index's native and wasm parts: LanceDB's library and the tree-sitter runtime and grammars. */
async function copyIndexAssets() {
  await mkdir('dist/grammars', { recursive: true });
  await cp('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/grammars/tree-sitter.wasm');
  for (const g of ['typescript', 'tsx', 'javascript', 'python', 'go', 'java', 'rust', 'c_sharp', 'c', 'cpp']) {
    await cp(`node_modules/tree-sitter-wasms/out/tree-sitter-${g}.wasm`, `dist/grammars/tree-sitter-${g}.wasm`);
  }
  await cp('language-server/assets/search-model', 'dist/search-model', { recursive: true }); // the learned embedder's table
  const native = `lancedb.${process.platform}-${process.arch}-gnu.node`;
  const from = `node_modules/@lancedb/lancedb-${process.platform}-${process.arch}-gnu/${native}`;
  if (existsSync(from) && !existsSync(`dist/${native}`)) await cp(from, `dist/${native}`);
}

async function copyAssets() {
  await copyValidationAssets();
  await copyBackendAssets();
  await copyIndexAssets();
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
