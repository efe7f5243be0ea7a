// Records the sample generation that ships with QLP (samples/adder): a real `qlp generate` run of
// the built command line against the scripted model on a loopback server (test/support's
// scriptedProject: a small Node.js tool whose first version has a bug its test catches, fixed in
// one repair round), verified in the sandbox. The run's capsule manifest and transcript are copied
// out of the capsule store; `qlp generate --replay sample` and the editor's "Replay the sample"
// replay them with no model and no network.
//
//   npm run bundle && node --import tsx scripts/make-sample.ts
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CapsuleService } from '../language-server/src/capsule/service';
import { findWorkspaceRoot } from '../language-server/src/capsule/workspaceStore';
import { sampleFolder, sampleManifestFile, sampleTranscriptFile } from '../language-server/src/generate/replaySource';
import { FakeModelServer } from '../test/support/fakeModelServer';
import { cliPath, repoRoot, requireBuilt } from '../test/support/paths';
import { scriptedProject } from '../test/support/scriptedProject';

const requirements = 'A command-line tool that adds two numbers: `adder 2 3` prints 5.';

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [requireBuilt(cliPath), ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function main(): Promise<void> {
  const models = await new FakeModelServer().start();
  models.respondWith(scriptedProject());
  const scratch = mkdtempSync(join(tmpdir(), 'qlp-sample-'));
  try {
    const workspace = join(scratch, 'workspace');
    const dataDir = join(scratch, 'qlp-home');
    mkdirSync(workspace);
    mkdirSync(dataDir);
    // The sandbox user reads its caches inside QLP's data folder.
    chmodSync(scratch, 0o755);
    chmodSync(dataDir, 0o755);
    const env = { ...process.env, QLP_HOME: dataDir, QLP_LOCAL_BASE_URL: models.openaiBaseUrl, QLP_LOCAL_MODEL: 'scripted-coder' };
    const generated = await run(['generate', requirements, '--out', 'adder', '--stack', 'node-cli', '--json'], env, workspace);
    if (generated.code !== 0) throw new Error(`qlp generate exited ${generated.code}; the sample must be a verified run.`);
    const result = JSON.parse(generated.stdout) as { status: string; capsule: { id: string; version: number } };

    const capsules = await CapsuleService.open(dataDir, await findWorkspaceRoot(dataDir, workspace), { create: false });
    const manifest = await capsules.manifest(result.capsule);
    if (!manifest.transcript) throw new Error(`The capsule ${result.capsule.id} holds no transcript.`);
    const transcript = await capsules.store.blobs.read(manifest.transcript.sha256, 'the transcript');

    const out = join(repoRoot, 'samples', sampleFolder);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, sampleManifestFile), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(out, sampleTranscriptFile), transcript);
    console.log(
      `Wrote ${out}: ${result.status}, ${manifest.files.length} files, ${manifest.transcript.turns} model turns, digest ${manifest.digest.slice(0, 12)}…`,
    );
  } finally {
    await models.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(`make-sample: ${err.message}`);
  process.exitCode = 1;
});
