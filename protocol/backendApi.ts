// What the team backend's /v1 API carries (see docs/api.md). Plain types: the backend, the sync
// client and the extension share them.

export type Role = 'reader' | 'writer' | 'admin';
export const roles: readonly Role[] = ['reader', 'writer', 'admin'];

/** The team of keys made without one, and of everything that existed before teams. */
export const defaultTeam = 'default';
/** Team names: lowercase letters, digits and inner dashes, up to 40 characters. */
export const teamPattern = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
/** The header a global admin key names another team with (docs/api.md). */
export const teamHeader = 'X-QLP-Team';

/** A capsule as the team list shows it: its latest version. */
export interface TeamCapsule {
  id: string;
  name: string;
  version: number;
  versions: number;
  files: number;
  bytes: number;
  requirements: string | null;
  pushedBy: string;
  pushedAt: string;
}

export interface TeamCapsuleList {
  capsules: TeamCapsule[];
}

export interface TeamVersion {
  version: number;
  digest: string;
  files: number;
  bytes: number;
  pushedBy: string;
  pushedAt: string;
}

export interface TeamCapsuleDetail extends Omit<TeamCapsule, 'version' | 'versions' | 'files' | 'bytes' | 'requirements' | 'pushedBy' | 'pushedAt'> {
  latest: number;
  versions: TeamVersion[];
}

/** The most blobs one `/v1/blobs/fetch` request may ask for. */
export const maxBlobsPerFetch = 10_000;

export interface MissingBlobsRequest {
  sha256s: string[];
}

export interface MissingBlobsResponse {
  missing: string[];
}

export interface StoreBlobsResponse {
  stored: number;
  alreadyPresent: number;
}

export interface PushResult {
  id: string;
  version: number;
  /** false when the server already held this exact version (a retried push). */
  created: boolean;
}

export interface UsageRow {
  key: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface UsageReport {
  from: string | null;
  to: string | null;
  by: 'provider' | 'model' | 'tier' | 'capsule' | 'pushedBy' | 'day' | 'team';
  /** The team reported on; null: every team (a global key naming none). */
  team: string | null;
  rows: UsageRow[];
  total: Omit<UsageRow, 'key'>;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  team: string;
  /** The QLP_ADMIN_KEY key: an admin of every team. */
  global: boolean;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyInfo {
  /** Shown once; the server keeps only its hash. */
  key: string;
}

/** `GET /v1/whoami`: the calling key. */
export interface WhoAmI {
  id: string;
  name: string;
  role: Role;
  team: string;
  global: boolean;
}

export interface AuditEntry {
  id: number;
  at: string;
  team: string;
  keyId: string | null;
  keyName: string | null;
  action: string;
  target: string | null;
  detail: unknown;
}

export interface ApiError {
  error: string;
}
