// What the team-sync requests carry between the extension and the language server.
import type { TeamCapsule } from './backendApi';
import type { LeftOutFile } from './capsuleApi';

export interface SyncPushParams {
  id: string;
  version?: number;
  /**
   * Send files that look like they hold secrets (only after the user confirmed). Without it the
   * server scans the version and leaves them out, whatever the client checked before.
   */
  includeSecrets?: boolean;
}

export interface SyncPushResult {
  /** `pushed`: sent now; `unchanged`: the backend had it already; `queued`: kept for a retry. */
  status: 'pushed' | 'unchanged' | 'queued';
  id: string;
  version: number;
  blobsSent: number;
  bytesSent: number;
  /** Why it was queued. */
  reason?: string;
  /** Files the push left out (or, when queued, will leave out) as likely secrets, with rules and lines. */
  leftOut: LeftOutFile[];
}

export interface SyncPullParams {
  id: string;
  version?: number;
  /** The new folder to write (must not exist, or be empty). */
  out: string;
}

export interface SyncPullResult {
  id: string;
  version: number;
  files: number;
  out: string;
  blobsFetched: number;
}

export interface TeamListParams {
  query?: string;
}

export interface TeamListResult {
  /** false when no backend URL is set (the tree then shows no team section). */
  configured: boolean;
  capsules: TeamCapsule[];
  /** Why the list could not be read (offline, refused key); the tree shows it instead. */
  error?: string;
  /** Pushes waiting for the backend. */
  pending: number;
}
