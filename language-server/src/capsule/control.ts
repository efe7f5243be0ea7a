// How callers steer a long capsule operation: cancel it and follow its progress.
import type { CapsuleProgress } from '../../../protocol/capsuleApi';

export interface Control {
  signal?: AbortSignal;
  onProgress?(progress: CapsuleProgress): void;
}
