// Must run before LanceDB loads: its thread pool deadlocks building full-text indexes on two
// cores unless bounded, its log speaks only of errors, and the bundled build finds its native
// library beside the bundle.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

process.env.LANCE_CPU_THREADS ??= '2';
// Its warnings (k-means on small tables, deprecations) would fill the server's log.
process.env.LANCE_LOG ??= 'error';
const bundledNative = join(__dirname, `lancedb.${process.platform}-${process.arch}-gnu.node`);
if (!process.env.NAPI_RS_NATIVE_LIBRARY_PATH && existsSync(bundledNative)) process.env.NAPI_RS_NATIVE_LIBRARY_PATH = bundledNative;
