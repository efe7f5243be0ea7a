// The embedded database: PostgreSQL compiled to WebAssembly (PGlite), in this process, with its
// files under the data folder. The only file that imports @electric-sql/pglite.
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Database, Queryable, Row } from './database';

/**
 * PGlite's WebAssembly and file-system bundle: next to the bundled backend (esbuild copies them
 * into dist/), else in node_modules (tests run the sources). Handing them over explicitly keeps
 * PGlite from guessing their place from a bundled module's URL.
 */
async function assets(): Promise<PGliteOptions> {
  const beside = join(__dirname, 'pglite.wasm');
  const dir = existsSync(beside) ? __dirname : dirname(require.resolve(['@electric-sql', 'pglite'].join('/')));
  const [pglite, initdb, data] = await Promise.all(['pglite.wasm', 'initdb.wasm', 'pglite.data'].map((name) => readFile(join(dir, name))));
  // The Node typings this project uses do not declare WebAssembly; the runtime has it.
  const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<PGliteOptions['pgliteWasmModule']> } }).WebAssembly;
  return {
    pgliteWasmModule: await wasm.compile(pglite),
    initdbWasmModule: await wasm.compile(initdb),
    fsBundle: new Blob([data]),
  };
}

export async function openEmbedded(dataDir: string): Promise<Database> {
  const db = await PGlite.create(dataDir, { ...(await assets()) });
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      return (await q.query<T>(sql, params)).rows;
    },
  });
  const plain = wrap(db);
  return {
    kind: 'embedded',
    query: plain.query,
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  };
}
