// The benchmarks' sample project: by default 200 files, 5 MB (180 source-like files, 20 binary assets).
import { randomBytes } from 'node:crypto';
import { writeTree } from '../test/support/capsuleFixtures';

const words = [
  'const',
  'value',
  'return',
  'function',
  'import',
  'export',
  'async',
  'await',
  'user',
  'token',
  'request',
  'response',
  'handler',
  'router',
  'config',
  'error',
  'result',
  'items',
  'index',
  'length',
];

/** Source-like text of `bytes` bytes. */
export function sourceText(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  const noise = randomBytes(bytes);
  for (let i = 0; size < bytes; i++) {
    const line = `  ${words[noise[i % bytes] % words.length]}${i} = ${words[noise[(i * 7) % bytes] % words.length]}(${noise[(i * 13) % bytes]}, "${noise.subarray(i % (bytes - 8), (i % (bytes - 8)) + 6).toString('hex')}");`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n').slice(0, bytes);
}

/** 200 files, 5 MB: 180 source files and 20 binary assets. */
export function project(root: string, count = 200): number {
  const files: Record<string, string | Buffer> = {};
  const assets = Math.floor(count / 10);
  for (let i = 0; i < count - assets; i++) files[`src/module-${Math.floor(i / 20)}/file-${i}.ts`] = sourceText(23_000);
  for (let i = 0; i < assets; i++) files[`assets/image-${i}.bin`] = randomBytes(55_000);
  writeTree(root, files);
  return Object.values(files).reduce((sum, f) => sum + Buffer.byteLength(f), 0);
}
