// What every `qlp capsule` subcommand needs: the workspace's capsule service (found from the
// working directory), refs like `id@version`, cancellation on Ctrl+C and progress on a terminal.
import type { CapsuleRef, CapsuleProgress } from '../../../../protocol/capsuleApi';
import { capsuleIdPattern } from '../../../../protocol/capsule';
import type { Control } from '../../common/control';
import { CapsuleService } from '../../capsule/service';
import { findWorkspaceRoot } from '../../capsule/workspaceStore';
import { defaultStorageDir } from '../../machine/storage';
import type { CliIo } from '../command';
import { UsageError } from '../errors';

/** The service over the store of the workspace the working directory belongs to. */
export async function openService(io: CliIo, create: boolean): Promise<CapsuleService> {
  const dataDir = defaultStorageDir(io.env);
  return CapsuleService.open(dataDir, await findWorkspaceRoot(dataDir, process.cwd()), { create });
}

/** `id` or `id@version`. */
export function parseRef(text: string | undefined, usage: string): CapsuleRef {
  if (!text) throw new UsageError(`name a capsule; usage: ${usage}.`);
  const match = /^([^@]+)(?:@(\d+))?$/.exec(text);
  if (!match || !capsuleIdPattern.test(match[1]) || match[2] === '0') {
    throw new UsageError(`'${text}' is not a capsule reference; use an id from 'qlp capsule list', optionally with @version.`);
  }
  return match[2] ? { id: match[1], version: Number(match[2]) } : { id: match[1] };
}

export const showRef = (ref: { id: string; version?: number }) => (ref.version ? `${ref.id}@${ref.version}` : ref.id);

/** Runs `task` with a signal that Ctrl+C aborts, and progress on stderr when it is a terminal. */
export async function interruptible<T>(task: (control: Control) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  const tty = process.stderr.isTTY === true;
  let last = '';
  const onProgress = (p: CapsuleProgress) => {
    const line = p.total > 0 ? `${p.message.slice(0, 50)} ${Math.floor((100 * p.done) / p.total)}%` : p.message.slice(0, 60);
    if (tty && line !== last) process.stderr.write(`\r\u001b[K${(last = line)}`);
  };
  try {
    return await task({ signal: controller.signal, onProgress });
  } finally {
    process.off('SIGINT', onInterrupt);
    if (tty && last) process.stderr.write('\r\u001b[K');
  }
}
