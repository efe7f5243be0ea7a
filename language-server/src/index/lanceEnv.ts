// Must run before LanceDB loads: its thread pool deadlocks building full-text indexes on two
// cores unless bounded, and the bundled build finds its native library beside the bundle.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

process.env.LANCE_CPU_THREADS ??= '2';
const bundledNative = join(__dirname, `lancedb.${process.platform}-${process.arch}-gnu.node`);
if (!process.env.NAPI_RS_NATIVE_LIBRARY_PATH && existsSync(bundledNative)) process.env.NAPI_RS_NATIVE_LIBRARY_PATH = bundledNative;
