// What `qlp generate --replay` replays: the transcript a capsule version recorded, or the sample
// recording that ships with QLP (`--replay sample`), which needs no capsule store, model or network.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { capsuleManifestSchema } from '../../../protocol/capsule';
import type { CapsuleRef } from '../../../protocol/capsuleApi';
import type { CapsuleService } from '../capsule/service';
import { GenerationInputError } from './errors';
import { parseTranscript, type Transcript } from './transcript';

/** A recorded generation: its transcript and the files digest the recorded run ended with. */
export interface Recording {
  transcript: Transcript;
  digest: string;
}

/** The name `--replay` (and the editor's "Replay the sample") give the shipped sample. */
export const sampleName = 'sample';
/** The sample's folder under `samples/`, and its two files (written by scripts/make-sample.ts). */
export const sampleFolder = 'adder';
export const sampleManifestFile = 'capsule.json';
export const sampleTranscriptFile = 'transcript.json';

export async function transcriptOf(capsules: CapsuleService, ref: CapsuleRef): Promise<Recording> {
  const manifest = await capsules.manifest(ref);
  if (!manifest.transcript)
    throw new GenerationInputError(`Capsule ${manifest.id}@${manifest.version} holds no generation transcript; only generated versions can be replayed.`);
  const data = await capsules.store.blobs.read(manifest.transcript.sha256, `the transcript of ${manifest.id}@${manifest.version}`);
  return { transcript: parseTranscript(data), digest: manifest.digest };
}

/**
 * The sample's folder: `samples/adder` beside the bundles' `dist/` (the .vsix and a built
 * checkout), or at the repository's root when the engine runs from source.
 */
export function sampleDir(from: string = __dirname): string {
  for (let dir = from, up = 0; up < 5; dir = dirname(dir), up++) {
    const candidate = join(dir, 'samples', sampleFolder);
    if (existsSync(join(candidate, sampleManifestFile))) return candidate;
  }
  throw new GenerationInputError(`The sample recording is missing: no samples/${sampleFolder}/${sampleManifestFile} near ${from}; reinstall QLP.`);
}

/** The shipped sample, checked: its manifest against the schema, its transcript against the manifest's digest of it. */
export async function sampleRecording(dir: string = sampleDir()): Promise<Recording> {
  const manifestPath = join(dir, sampleManifestFile);
  const transcriptPath = join(dir, sampleTranscriptFile);
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (err) {
    throw new GenerationInputError(`The sample's manifest ${manifestPath} cannot be read: ${(err as Error).message}`);
  }
  const manifest = capsuleManifestSchema.safeParse(manifestJson);
  if (!manifest.success || !manifest.data.transcript)
    throw new GenerationInputError(`The sample's manifest ${manifestPath} is not a generated capsule version QLP can replay.`);
  const data = await readFile(transcriptPath).catch((err: Error) => {
    throw new GenerationInputError(`The sample's transcript ${transcriptPath} cannot be read: ${err.message}`);
  });
  if (createHash('sha256').update(data).digest('hex') !== manifest.data.transcript.sha256) {
    throw new GenerationInputError(`The sample's transcript ${transcriptPath} does not match its manifest; reinstall QLP.`);
  }
  return { transcript: parseTranscript(data), digest: manifest.data.digest };
}
