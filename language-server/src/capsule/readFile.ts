// One file of a version, for viewing: its text when it is text, else what it is.
import type { CapsuleManifest } from '../../../protocol/capsule';
import type { ReadFileResult } from '../../../protocol/capsuleApi';
import { looksBinary } from '../workspace/binary';
import type { CapsuleStore } from './capsuleStore';
import { CapsuleInputError } from './errors';

/** Larger files are described, not shown. */
const maxTextBytes = 8 * 1024 * 1024;

export async function readVersionFile(store: CapsuleStore, manifest: CapsuleManifest, path: string): Promise<ReadFileResult> {
  const file = manifest.files.find((f) => f.path === path);
  if (!file) throw new CapsuleInputError(`${manifest.id}@${manifest.version} holds no file ${path}.`);
  const described = { binary: true as const, size: file.size, sha256: file.sha256 };
  if (file.size > maxTextBytes) return described;
  const data = await store.blobs.read(file.sha256, `${path} in ${manifest.id}@${manifest.version}`);
  if (looksBinary(data)) return described;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data) };
  } catch {
    return described;
  }
}
