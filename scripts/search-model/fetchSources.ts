// Fetches the packages listed in packages.json into a work folder, once: npm packages with
// `npm pack <name>@<version>`, Debian packages with `apt-get download <name>=<version>` unpacked
// by `dpkg-deb -x`. Usage: node --import tsx scripts/search-model/fetchSources.ts <work>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';

export interface SourcePackage {
  name: string;
  version: string;
  /** For held-out packages: the folders and files (inside the unpacked package) that form the corpus. */
  paths?: string[];
}

export interface PackageList {
  training: { npm: SourcePackage[]; debian: SourcePackage[] };
  heldout: { npm: SourcePackage[]; debian: SourcePackage[] };
  excluded: { npm: SourcePackage[]; namePatterns: string[] };
}

export const packageList = (): PackageList => JSON.parse(readFileSync(join(__dirname, 'packages.json'), 'utf8')) as PackageList;

/** The folder a package is unpacked into: <work>/sources/<npm|debian>/<name>@<version>. */
export function sourceDir(work: string, kind: 'npm' | 'debian', p: SourcePackage): string {
  return join(work, 'sources', kind, `${p.name.replace('/', '+')}@${p.version}`);
}

export function fetchNpm(work: string, p: SourcePackage): void {
  const dir = sourceDir(work, 'npm', p);
  if (existsSync(dir)) return;
  const cache = join(work, 'cache', 'npm');
  mkdirSync(cache, { recursive: true });
  const out = execFileSync('npm', ['pack', `${p.name}@${p.version}`, '--json', '--pack-destination', cache], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [{ filename }] = JSON.parse(out) as Array<{ filename: string }>;
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  tar.x({ file: join(cache, filename), cwd: partial, sync: true });
  renameSync(partial, dir);
}

export function fetchDebian(work: string, p: SourcePackage): void {
  const dir = sourceDir(work, 'debian', p);
  if (existsSync(dir)) return;
  const cache = join(work, 'cache', 'debian');
  mkdirSync(cache, { recursive: true });
  const debName = (f: string) => f.startsWith(`${p.name}_`) && f.endsWith('.deb');
  if (!readdirSync(cache).some(debName)) execFileSync('apt-get', ['download', `${p.name}=${p.version}`], { cwd: cache, stdio: ['ignore', 'ignore', 'pipe'] });
  const deb = readdirSync(cache).find(debName);
  if (!deb) throw new Error(`apt-get download ${p.name}=${p.version} left no .deb file.`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync('dpkg-deb', ['-x', join(cache, deb), partial]);
  renameSync(partial, dir);
}

export function fetchAll(work: string): void {
  const list = packageList();
  const npm = [...list.training.npm, ...list.heldout.npm, ...list.excluded.npm];
  const debian = [...list.training.debian, ...list.heldout.debian];
  for (const p of npm) fetchNpm(work, p);
  for (const p of debian) fetchDebian(work, p);
  console.log(`fetched ${npm.length} npm and ${debian.length} Debian packages into ${join(work, 'sources')}`);
}

if (require.main === module) {
  const work = process.argv[2];
  if (!work) {
    console.error('Usage: fetchSources.ts <work folder>');
    process.exit(2);
  }
  fetchAll(work);
}
