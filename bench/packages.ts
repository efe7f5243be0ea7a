// `npm run bench:packages`: makes every platform's .vsix (`npm run package:targets`, which bundles
// first and records the sizes in dist/vsix-sizes.json) and writes those sizes, with the machine,
// date and commit, to bench/results/vsix-sizes.json, which the docs quote. Tests package too, but
// only into dist/, so they never rewrite the committed figures.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distDir, repoRoot } from '../test/support/paths';
import { writeResults } from './results';

interface Sizes {
  targets: Record<string, { bytes: number; nativeFile: string; nativeBytes: number }>;
}

function main(): void {
  execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'package-targets.ts'), ...process.argv.slice(2)], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  const sizes = JSON.parse(readFileSync(join(distDir, 'vsix-sizes.json'), 'utf8')) as Sizes;
  for (const [target, size] of Object.entries(sizes.targets))
    console.log(`${target.padEnd(13)} ${(size.bytes / 2 ** 20).toFixed(1)} MiB (${size.nativeFile} ${(size.nativeBytes / 2 ** 20).toFixed(1)} MiB unpacked)`);
  console.log(`Written to ${writeResults('vsix-sizes', sizes)}`);
}

try {
  main();
} catch (err) {
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 1;
}
