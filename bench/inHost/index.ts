// Runs inside the real extension host (extensionTestsPath): reads the extension's own
// activation timing and times a server restart, then writes the figures to QLP_BENCH_OUT.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { QlpApi } from '../../extension/src/api';

function whenReady(api: QlpApi): Promise<void> {
  if (api.serverState === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const subscription = api.onDidChangeServerState((state) => {
      if (state !== 'ready') return;
      subscription.dispose();
      resolve();
    });
  });
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<QlpApi>('qlp.qlp');
  if (!extension) throw new Error('qlp.qlp is not installed');
  const api = await extension.activate();
  await whenReady(api);
  const restartStarted = performance.now();
  await vscode.commands.executeCommand('qlp.restartServer');
  await whenReady(api);
  const restartMs = performance.now() - restartStarted;
  const out = process.env.QLP_BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify({ activationMs: api.activationMs, restartMs }));
}
