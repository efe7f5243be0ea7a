// `qlp capsule verify <id[@version]>`: checks a version's test receipts against its files (exit 0
// intact, 1 not); `--rerun` runs the tests again in the sandbox and compares.
import { verifyCapsule } from '../../generate/receiptCheck';
import { defaultStorageDir } from '../../machine/storage';
import type { CliIo } from '../command';
import { UsageError } from '../errors';
import { parseCommandArgs } from '../parse';
import { cliSandboxSettings } from '../test';
import { interruptible, openService, parseRef, showRef } from './context';

export const verifyUsage = 'qlp capsule verify <id[@version]> [--rerun] [--sandbox auto|docker|bwrap] [--json]';

export async function runVerify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('capsule verify', args, {
    rerun: { type: 'boolean' },
    sandbox: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError(`name one version to verify; usage: ${verifyUsage}.`);
  const ref = parseRef(positionals[0], verifyUsage);
  const service = await openService(io, false);
  const runner = values.rerun
    ? {
        settings: cliSandboxSettings(io, { ...(values.sandbox !== undefined ? { sandbox: values.sandbox as string } : {}) }),
        storageDir: defaultStorageDir(io.env),
        env: io.env,
      }
    : undefined;
  const result = await interruptible((control) => verifyCapsule(service, ref, runner ? { rerun: { runner, signal: control.signal! } } : {}));
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else {
    const name = showRef({ id: result.id, version: result.version });
    if (!result.receipts.length) io.out(`${name} has no test receipt: nothing backs a claim that its tests pass.`);
    result.receipts.forEach((r, i) => {
      const rerun = r.rerun ? `; rerun ${r.rerun.status}${r.rerun.tests ? ` (${r.rerun.tests.passed} passed, ${r.rerun.tests.failed} failed)` : ''}` : '';
      io.out(`Receipt ${i + 1} (${r.status})${rerun}: ${r.problems.length ? 'NOT INTACT' : 'intact'}`);
      for (const p of r.problems) io.out(`  - ${p}`);
    });
    if (result.receipts.length) io.out(result.intact ? `${name}: every receipt matches the files.` : `${name}: a receipt does not match the files.`);
  }
  return result.intact ? 0 : 1;
}
