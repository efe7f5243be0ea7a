// The transcript a capsule version recorded, for `qlp generate --replay`.
import type { CapsuleRef } from '../../../protocol/capsuleApi';
import type { CapsuleService } from '../capsule/service';
import { GenerationInputError } from './errors';
import { parseTranscript, type Transcript } from './transcript';

export async function transcriptOf(capsules: CapsuleService, ref: CapsuleRef): Promise<{ transcript: Transcript; digest: string }> {
  const manifest = await capsules.manifest(ref);
  if (!manifest.transcript) throw new GenerationInputError(`Capsule ${manifest.id}@${manifest.version} holds no generation transcript; only generated versions can be replayed.`);
  const data = await capsules.store.blobs.read(manifest.transcript.sha256, `the transcript of ${manifest.id}@${manifest.version}`);
  return { transcript: parseTranscript(data), digest: manifest.digest };
}
