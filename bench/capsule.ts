// `npm run bench:capsule`: capsule figures on a 200-file, 5 MB project — snapshot, export and
// import per format, and what 10 versions with one file changed each cost the store.
// Targets: export < 1 s; 10 versions < 1.3× the size of one. Prints them and writes
// bench/results/capsule.json.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CapsuleService } from '../language-server/src/capsule/service';
import { formatBytes } from '../language-server/src/capsule/limits';
import { scratch } from '../test/support/capsuleFixtures';
import { cliPath, requireBuilt } from '../test/support/paths';
import { writeResults } from './results';
import { project, sourceText } from './sampleProject';

const runs = Number(process.env.QLP_BENCH_RUNS) || 5;
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

/** `runs` timings of `task`, one after the other, each after `prepare` (untimed). */
async function repeat(task: () => Promise<unknown>, prepare: () => unknown = () => undefined): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await prepare();
    times.push(await timed(task));
  }
  return times;
}

function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? treeBytes(path) : statSync(path).size;
  }
  return total;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const mark = (ok: boolean) => (ok ? '✔' : '✘');

async function main(): Promise<void> {
  const ws = scratch('qlp-bench-');
  const folder = join(ws, 'project');
  const bytes = project(folder);
  const data = join(scratch('qlp-bench-data-'), 'qlp');
  const service = await CapsuleService.open(data, ws);
  console.log(`QLP capsule benchmarks: 200 files, ${formatBytes(bytes)} (180 source files, 20 binary), median of ${runs}\n`);

  const first = await timed(() => service.create({ folder }));
  const unchanged = median(await repeat(() => service.create({ folder })));
  const { id } = (await service.list())[0];
  console.log(`Snapshot, first version (hash, secret scan, store):  ${ms(first)}`);
  console.log(`Snapshot, unchanged folder (no new version):         ${ms(unchanged)}`);
  const cache = join(service.store.dir, 'secret-scan.json');
  // A fresh service (nothing cached in memory) over a store whose scan cache was removed.
  let cold = service;
  const forgetScans = async () => {
    rmSync(cache, { force: true });
    cold = await CapsuleService.open(data, ws);
  };
  const scan = median(await repeat(() => cold.findSecrets({ ref: { id } }), forgetScans));
  console.log(`Secret scan of the version, nothing cached:          ${ms(scan)}\n`);

  const formats: Record<string, { exportMs: number; exportUncachedMs: number; archiveBytes: number; importMs: number }> = {};
  let exportOk = true;
  console.log('Export (secret check included: results cached since the snapshot, and with nothing cached), then import:');
  for (const format of ['zip', 'tar', 'tgz'] as const) {
    const out = () => join(scratch('qlp-bench-out-'), `project.${format}`);
    let archive = '';
    const warm = median(await repeat(() => service.export({ ref: { id }, format, out: (archive = out()) })));
    const uncached = median(await repeat(() => cold.export({ ref: { id }, format, out: out() }), forgetScans));
    const imports = median(await repeat(() => service.import({ archive, out: join(scratch('qlp-bench-in-'), 'copy') })));
    exportOk &&= warm < 1000;
    formats[format] = {
      exportMs: Math.round(warm),
      exportUncachedMs: Math.round(uncached),
      archiveBytes: statSync(archive).size,
      importMs: Math.round(imports),
    };
    console.log(
      `${mark(warm < 1000)} ${format.padEnd(3)}: ${ms(warm).padStart(6)} (nothing cached: ${ms(uncached)}), ${formatBytes(statSync(archive).size).padStart(7)}; import, every hash checked: ${ms(imports)}`,
    );
  }
  const cliOut = join(scratch('qlp-bench-cli-'), 'project.zip');
  const cliStarted = performance.now();
  execFileSync(process.execPath, [requireBuilt(cliPath), 'capsule', 'export', id, '--out', cliOut], { cwd: ws, env: { ...process.env, QLP_HOME: data } });
  const cliExportMs = Math.round(performance.now() - cliStarted);
  console.log(`  qlp capsule export --out project.zip, process start → exit: ${ms(cliExportMs)}\n`);

  // Ten versions, one file changed between each: the store grows by the changed files and manifests.
  const history = await CapsuleService.open(join(scratch('qlp-bench-history-'), 'qlp'), ws);
  await history.create({ folder });
  for (let i = 1; i < 10; i++) {
    writeFileSync(join(folder, `src/module-${i % 9}/file-${i * 7}.ts`), sourceText(23_000));
    await history.create({ folder });
  }
  const versions = (await history.list())[0].versions.length;
  const storeBytes = treeBytes(history.store.dir);
  const ratio = storeBytes / bytes;
  console.log(
    `${mark(ratio < 1.3)} ${versions} versions, one file changed each: store ${formatBytes(storeBytes)} = ${ratio.toFixed(3)}× one version (${formatBytes(bytes)})`,
  );
  console.log(
    `  (blobs ${formatBytes(treeBytes(history.store.blobs.dir))}, manifests and records ${formatBytes(storeBytes - treeBytes(history.store.blobs.dir))})`,
  );
  const blobBytes = treeBytes(history.store.blobs.dir);
  const file = writeResults('capsule', {
    project: { files: 200, bytes, sourceFiles: 180, binaryFiles: 20 },
    runs,
    snapshotFirstMs: Math.round(first),
    snapshotUnchangedMs: Math.round(unchanged),
    secretScanUncachedMs: Math.round(scan),
    formats,
    cliExportMs,
    history: { versions, storeBytes, ratio: Math.round(ratio * 1000) / 1000, blobBytes, otherBytes: storeBytes - blobBytes },
  });
  console.log(`Written to ${file}`);
  if (!exportOk || ratio >= 1.3) process.exitCode = 1;
}

main().catch((err: Error) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
