// What one request may carry, route by route, and what a pushed manifest may list. Checked
// before any work that grows with the input, so a refusal costs milliseconds (docs/api.md).
import { defaultArchiveLimits, defaultCapsuleLimits } from '../../language-server/src/capsule/limits';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Bytes of one blob frame's header: its sha256 and its length. */
export const frameHeaderBytes = 36;

export const bodyLimits = {
  /** Any route that takes no larger body (key names, empty bodies). */
  small: 16 * KiB,
  /** `POST /v1/blobs/missing`: up to 100,000 sha256s. */
  missing: 8 * MiB,
  /** `POST /v1/blobs/fetch`: up to 10,000 sha256s. */
  fetch: 1 * MiB,
  /** `PUT /v1/capsules/{id}/versions/{n}`: a manifest, as large as an archive's capsule.json may be. */
  manifest: defaultArchiveLimits.maxManifestBytes,
  /** `POST /v1/blobs` (and a `/v1/blobs/fetch` answer): a batch of several blobs. */
  batch: 64 * MiB,
  /** … or one blob alone, as large as a capsule file may be. */
  singleBlob: defaultCapsuleLimits.maxFileBytes + frameHeaderBytes,
};

export const manifestLimits = {
  maxFiles: defaultCapsuleLimits.maxFiles,
  /** Characters of one path (what a safe relative path may have). */
  maxPathLength: 4096,
  /** Folder levels of one path, the file's name included. */
  maxPathDepth: 128,
};

/**
 * Bytes of request and response bodies held in memory at once, over all requests; a request
 * waits for its share before its body is read (its client's socket is simply not read meanwhile).
 */
export const bodyMemoryBytes = 128 * MiB;
