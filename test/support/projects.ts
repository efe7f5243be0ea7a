// Small projects written to a temp folder for validation tests. Secrets are assembled at run
// time so that no scanner mistakes this repository's sources for leaked keys.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function writeProject(files: Record<string, string | Uint8Array>, prefix = 'qlp-validate-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A GitHub personal access token shape (made up; valid nowhere). */
export const fakeGithubToken = ['ghp', '_', 'w5AypgItC9s5rqAPHqCFHcEW5A7gMR0k3kXy'].join('');

/** A database URL with a password in it (made up). */
export const fakeDatabaseUrl = ['postgres://admin', ':', 'Zq8vT3mW9xL2pK7s', '@db.example.com:5432/app'].join('');

export const tsconfig = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true },
  include: ['src'],
});

/** A TypeScript project with one of each: a type error, a lint problem with a fix, a secret. */
export function typescriptProject(): string {
  return writeProject({
    'package.json': JSON.stringify({ name: 'demo', type: 'module', private: true }),
    'tsconfig.json': tsconfig,
    'src/app.ts': [
      "import { add } from './math.js';",
      '',
      "export const total: number = add(1, '2');",
      `export const token = '${fakeGithubToken}';`,
      'let unchanged = 3;',
      'export const doubled = unchanged * 2;',
      '',
    ].join('\n'),
    'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
  });
}
