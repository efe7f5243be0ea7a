// A copy of test/fixtures/search in a temporary folder, plus a git-ignored file that must never
// be indexed (written at run time: a .gitignore in the repository would hide it from git).
import { cpSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const fixtureDir = join(__dirname, '..', 'fixtures', 'search');

export function searchWorkspace(): { root: string; indexDir: string; home: string } {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'qlp-search-')));
  const root = join(base, 'ws');
  cpSync(fixtureDir, root, { recursive: true });
  writeFileSync(join(root, '.gitignore'), 'ignored/\n');
  mkdirSync(join(root, 'ignored'));
  writeFileSync(join(root, 'ignored', 'hidden.ts'), "export function shouldNotBeIndexed() { return 'customer owes ignored'; }\n");
  return { root, indexDir: join(base, 'index'), home: join(base, 'home') };
}
