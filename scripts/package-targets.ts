// `npm run package:targets [target …]`: bundles QLP once, then writes dist/qlp-<target>.vsix for
// each target (default: all of scripts/packaging/targets.ts), each holding its own platform's
// LanceDB native library and no other's, and records the sizes beside them in dist/vsix-sizes.json
// (`npm run bench:packages` copies them to bench/results/vsix-sizes.json, which the docs quote).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nativeLibrary } from './packaging/natives';
import { packageTargets, unsupportedTargets, vsixName, type PackageTarget } from './packaging/targets';

const repoRoot = join(__dirname, '..');
const dist = join(repoRoot, 'dist');
const cacheDir = join(repoRoot, '.cache', 'lancedb-natives');
const sizesFile = join(dist, 'vsix-sizes.json');
/** The .vscodeignore line that lets LanceDB's libraries in; each target's package narrows it to its own. */
const nativeLine = '!dist/lancedb.*.node';

function chosenTargets(names: string[]): PackageTarget[] {
  if (!names.length) return [...packageTargets];
  return names.map((name) => {
    const found = packageTargets.find((t) => t.target === name);
    if (found) return found;
    throw new Error(unsupportedTargets[name] ?? `unknown target '${name}'; the targets are ${packageTargets.map((t) => t.target).join(', ')}.`);
  });
}

/** .vscodeignore with only `target`'s native library let in. */
function ignoreFileFor(target: PackageTarget): string {
  const base = readFileSync(join(repoRoot, '.vscodeignore'), 'utf8');
  if (!base.split('\n').includes(nativeLine)) throw new Error(`.vscodeignore lacks the line ${nativeLine}, which packaging narrows per target.`);
  const file = join(cacheDir, `vscodeignore-${target.target}`);
  writeFileSync(file, base.replace(nativeLine, `!dist/${target.nativeFile}`));
  return file;
}

function vsce(target: PackageTarget, ignoreFile: string): string {
  const out = join(dist, vsixName(target.target));
  const cli = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(
    process.execPath,
    [cli, 'package', '--no-dependencies', '--allow-missing-repository', '--target', target.target, '--ignoreFile', ignoreFile, '--out', out],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return out;
}

interface SizeRecord {
  measuredAt: string;
  bytes: number;
  nativeFile: string;
  nativeBytes: number;
}

function recordSizes(sizes: Record<string, SizeRecord>): void {
  const previous = existsSync(sizesFile) ? (JSON.parse(readFileSync(sizesFile, 'utf8')) as { targets?: Record<string, SizeRecord> }) : {};
  const lancedb = JSON.parse(readFileSync(join(repoRoot, 'node_modules', '@lancedb', 'lancedb', 'package.json'), 'utf8')).version as string;
  const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;
  const record = { qlpVersion: version, lancedbVersion: lancedb, targets: { ...previous.targets, ...sizes }, notPackaged: unsupportedTargets };
  writeFileSync(sizesFile, `${JSON.stringify(record, null, 2)}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const targets = chosenTargets(args.filter((a) => !a.startsWith('--')));
  if (!args.includes('--no-bundle')) execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  mkdirSync(cacheDir, { recursive: true });
  const sizes: Record<string, SizeRecord> = {};
  for (const target of targets) {
    const native = await nativeLibrary(repoRoot, cacheDir, target);
    const inDist = join(dist, target.nativeFile);
    if (!existsSync(inDist) || statSync(inDist).size !== statSync(native).size) copyFileSync(native, inDist);
    const started = performance.now();
    const vsix = vsce(target, ignoreFileFor(target));
    sizes[target.target] = {
      measuredAt: new Date().toISOString(),
      bytes: statSync(vsix).size,
      nativeFile: target.nativeFile,
      nativeBytes: statSync(inDist).size,
    };
    console.log(
      `package: ${vsixName(target.target)} ${(sizes[target.target]!.bytes / 1024 / 1024).toFixed(1)} MB in ${Math.round((performance.now() - started) / 1000)} s`,
    );
  }
  recordSizes(sizes);
  for (const [target, why] of Object.entries(unsupportedTargets)) console.log(`package: no ${target} package: ${why}`);
}

main().catch((err: Error) => {
  console.error(`package: ${err.message}`);
  process.exitCode = 1;
});
