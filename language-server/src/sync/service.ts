// Team sync as one service over a workspace's capsules: push (queued for a retry when the backend
// is out of reach), pull, the team list, and retrying what is queued. The language server and the
// command line both call it. Every push scans the version itself and leaves out the files that look
// like they hold secrets unless the user chose to include them, so no caller can forget to check.
import type { SyncPullResult, SyncPushResult, TeamListResult } from '../../../protocol/syncApi';
import type { TeamCapsuleList } from '../../../protocol/backendApi';
import type { CapsuleManifest } from '../../../protocol/capsule';
import type { CapsuleRef, LeftOutFile } from '../../../protocol/capsuleApi';
import { noticeToStderr } from '../capsule/capsuleStore';
import type { Control } from '../common/control';
import { CancelledError } from '../common/cancellation';
import { findSecretsInVersion } from '../capsule/secretScan';
import type { CapsuleService } from '../capsule/service';
import { BackendClient, type BackendTarget } from './client';
import { BackendRefusedError, BackendUnavailableError } from './errors';
import { Outbox } from './outbox';
import { pullVersion } from './pull';
import { pushVersion } from './push';

const listTimeoutMs = 10_000;

export interface PushOptions {
  /** Send files that look like they hold secrets (the user confirmed); otherwise they are left out. */
  includeSecrets?: boolean;
  /** Queue the push when the backend is out of reach, instead of failing. */
  queue?: boolean;
}

export class SyncService {
  readonly outbox: Outbox;

  constructor(
    private readonly capsules: CapsuleService,
    /** The backend to use now (URL and key), or undefined when none is configured. */
    private readonly target: () => Promise<BackendTarget | undefined>,
    /** Tells the user what happened to queued pushes behind their back (refused for good, a queue set aside). */
    private readonly onNotice: (message: string) => void = noticeToStderr,
  ) {
    this.outbox = new Outbox(capsules.store.dir, onNotice);
  }

  private async client(timeoutMs?: number): Promise<BackendClient> {
    const target = await this.target();
    if (!target?.url) throw new BackendRefusedError('No QLP backend is configured: set qlp.backend.url (or --server on the command line).', 0);
    return new BackendClient(target, timeoutMs);
  }

  /** Pushes now; with `queue`, a backend out of reach queues the push (and the choice about secrets) instead of failing. */
  async push(ref: CapsuleRef, control: Control = {}, options: PushOptions = {}): Promise<SyncPushResult> {
    const includeSecrets = options.includeSecrets === true;
    const manifest = await this.capsules.manifest(ref);
    const client = await this.client();
    if (!includeSecrets) control.onProgress?.({ message: `Checking ${manifest.id}@${manifest.version} for secrets`, done: 0, total: 0 });
    const leftOut = await this.leftOut(manifest, includeSecrets, control.signal);
    try {
      const report = await pushVersion(
        this.capsules.store,
        manifest,
        client,
        control,
        leftOut.map((f) => f.path),
      );
      return {
        status: report.created ? 'pushed' : 'unchanged',
        id: report.id,
        version: report.version,
        blobsSent: report.blobsSent,
        bytesSent: report.bytesSent,
        leftOut,
      };
    } catch (err) {
      if (!options.queue || !(err instanceof BackendUnavailableError)) throw err;
      await this.outbox.add(client.base, manifest.id, manifest.version, err.message, includeSecrets);
      return { status: 'queued', id: manifest.id, version: manifest.version, blobsSent: 0, bytesSent: 0, reason: err.message, leftOut };
    }
  }

  /** The files of `manifest` a push leaves out: those that look like they hold secrets, unless included. */
  private async leftOut(manifest: CapsuleManifest, includeSecrets: boolean, signal?: AbortSignal): Promise<LeftOutFile[]> {
    if (includeSecrets) return [];
    const findings = await findSecretsInVersion(this.capsules.store, manifest, signal);
    return findings.map((f) => ({ path: f.path, reason: 'secret', rules: f.rules, lines: f.lines }));
  }

  async pull(ref: CapsuleRef, out: string, control: Control = {}): Promise<SyncPullResult> {
    return pullVersion(this.capsules.store, await this.client(), ref, out, control);
  }

  async list(query: string | undefined, signal?: AbortSignal): Promise<TeamListResult> {
    const pending = (await this.outbox.entries()).length;
    if (!(await this.target())?.url) return { configured: false, capsules: [], pending };
    try {
      const q = query ? `?q=${encodeURIComponent(query)}&limit=200` : '?limit=200';
      // A list that cannot load says so soon; the tree shows why.
      const { capsules } = await (await this.client(listTimeoutMs)).json<TeamCapsuleList>(`/v1/capsules${q}`, { signal });
      return { configured: true, capsules, pending };
    } catch (err) {
      if (err instanceof BackendUnavailableError || err instanceof BackendRefusedError) return { configured: true, capsules: [], error: err.message, pending };
      throw err;
    }
  }

  /**
   * Retries queued pushes to the configured backend. A push leaves the queue only once pushed, or
   * when the backend refuses it for good and says why (a notice tells the user); anything else
   * keeps it queued: the backend out of reach, failing or rate-limiting, the key refused (these
   * stop the round), or the local store unable to read the version (the next entry is tried).
   */
  async retryQueued(signal?: AbortSignal): Promise<{ pushed: number; left: number }> {
    const target = await this.target();
    let pushed = 0;
    if (target?.url && target.key) {
      const client = new BackendClient(target);
      for (const entry of (await this.outbox.entries()).filter((e) => e.server === client.base)) {
        try {
          const manifest = await this.capsules.manifest({ id: entry.id, version: entry.version });
          const leftOut = await this.leftOut(manifest, entry.includeSecrets === true, signal);
          await pushVersion(
            this.capsules.store,
            manifest,
            client,
            { signal },
            leftOut.map((f) => f.path),
          );
          await this.outbox.settle(entry, null);
          pushed++;
        } catch (err) {
          if (err instanceof BackendRefusedError && err.definitive) {
            await this.outbox.settle(entry, null);
            this.onNotice(
              `The team backend refused the queued push of ${entry.id}@${entry.version} (HTTP ${err.status}: ${err.reason}), so it left the queue.`,
            );
            continue;
          }
          await this.outbox.settle(entry, err instanceof Error ? err.message : String(err));
          if (err instanceof BackendUnavailableError || err instanceof BackendRefusedError || err instanceof CancelledError) break;
        }
      }
    }
    return { pushed, left: (await this.outbox.entries()).length };
  }
}
