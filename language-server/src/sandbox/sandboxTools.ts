// QLP's helpers that run inside the sandbox (the node:test reporter, the pytest plugin, the
// unittest shim, the mutation drivers): written once per content to the sandbox's data folder
// and mounted read-only at /qlp in every test session.
import { createHash } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { paths } from './layout';
import { nodeMutationDriverFile, nodeMutationDriverSource } from './mutation/nodeDriver';
import { pythonMutationDriverFile, pythonMutationDriverSource } from './mutation/pythonDriver';
import { nodeReporterFile, nodeReporterSource } from './tools/nodeReporter';
import { pytestPluginModule, pytestPluginSource } from './tools/pytestPlugin';
import { unittestShimFile, unittestShimSource } from './tools/unittestShim';
import type { SandboxMount } from './types';

const files: Record<string, string> = {
  [nodeReporterFile]: nodeReporterSource,
  [`${pytestPluginModule}.py`]: pytestPluginSource,
  [unittestShimFile]: unittestShimSource,
  [pythonMutationDriverFile]: pythonMutationDriverSource,
  [nodeMutationDriverFile]: nodeMutationDriverSource,
};

/** A helper's path inside the sandbox. */
export const toolPath = (file: string) => `${paths.tools}/${file}`;

const written = new Map<string, Promise<string>>();

/** The helpers' folder on this machine (written when missing), mounted read-only at /qlp. */
export async function toolsMount(dataDir: string): Promise<SandboxMount> {
  const hash = createHash('sha256');
  for (const [name, text] of Object.entries(files).sort()) hash.update(`${name}\0${text}\0`);
  const dir = join(dataDir, 'tools', hash.digest('hex').slice(0, 16));
  let ready = written.get(dir);
  if (!ready) {
    ready = writeTools(dir);
    written.set(dir, ready);
    ready.catch(() => written.delete(dir));
  }
  return { hostPath: await ready, target: paths.tools, readOnly: true };
}

async function writeTools(dir: string): Promise<string> {
  if ((await stat(dir).catch(() => undefined))?.isDirectory()) return dir;
  const temp = `${dir}.${process.pid}.${Date.now()}`;
  await mkdir(temp, { recursive: true });
  try {
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(temp, name), text.trimStart());
      await chmod(join(temp, name), 0o644);
    }
    // Readable by the sandbox user whatever this process's umask.
    await chmod(temp, 0o755);
    await chmod(join(dir, '..'), 0o755);
    await rename(temp, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another QLP process wrote the same content first.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return dir;
}
