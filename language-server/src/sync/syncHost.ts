// The language server's side of team sync: the backend URL from the editor's settings
// (qlp.backend.url, else QLP_BACKEND_URL), the key asked of the editor's SecretStorage when a
// request needs it (else QLP_API_KEY), pushes that leave likely secrets out unless the user
// included them, and queued pushes retried in the background.
import type { SyncPullParams, SyncPullResult, SyncPushParams, SyncPushResult, TeamListResult } from '../../../protocol/syncApi';
import type { Control } from '../common/control';
import type { CapsuleService } from '../capsule/service';
import type { BackendTarget } from './client';
import type { SyncService } from './service';

export interface SyncHostOptions {
  capsules: () => Promise<CapsuleService>;
  env: NodeJS.ProcessEnv;
  editorSettings: () => Promise<{ backend?: { url?: unknown } } | undefined>;
  editorKey: () => Promise<string | undefined>;
  /** How often queued pushes are retried. */
  retryMs?: number;
  /** Shows the user a notice about queued pushes (refused for good, an unreadable queue set aside). */
  onNotice?: (message: string) => void;
}

export class SyncHost {
  private service: Promise<SyncService> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retrying = false;

  constructor(private readonly options: SyncHostOptions) {}

  private async url(): Promise<string> {
    const configured = (await this.options.editorSettings().catch(() => undefined))?.backend?.url;
    return ((typeof configured === 'string' && configured.trim()) || this.options.env.QLP_BACKEND_URL || '').trim();
  }

  private async target(): Promise<BackendTarget | undefined> {
    const url = await this.url();
    if (!url) return undefined;
    const key = (await this.options.editorKey().catch(() => undefined)) || this.options.env.QLP_API_KEY;
    return { url, key };
  }

  private sync(): Promise<SyncService> {
    // Loaded with the capsule engine, on first use, not at server start.
    this.service ??= Promise.all([this.options.capsules(), import('./service.js')]).then(
      ([capsules, { SyncService }]) => new SyncService(capsules, () => this.target(), this.options.onNotice),
      (err) => {
        this.service = undefined;
        throw err;
      },
    );
    return this.service;
  }

  async push(params: SyncPushParams, control: Control): Promise<SyncPushResult> {
    // The request itself leaves likely secrets out unless the client says the user included them.
    const ref = { id: params.id, version: params.version };
    const result = await (await this.sync()).push(ref, control, { queue: true, includeSecrets: params.includeSecrets === true });
    if (result.status === 'queued') this.scheduleRetry();
    return result;
  }

  async pull(params: SyncPullParams, control: Control): Promise<SyncPullResult> {
    return (await this.sync()).pull({ id: params.id, version: params.version }, params.out, control);
  }

  async team(query: string | undefined, control: Control): Promise<TeamListResult> {
    const sync = await this.sync();
    // Listing is a good moment to send what waits: the backend evidently answers.
    const list = await sync.list(query, control.signal);
    if (list.pending > 0 && !list.error) this.scheduleRetry(0);
    return list;
  }

  /** Retries queued pushes after `delayMs`, then again while some are left; never throws. */
  scheduleRetry(delayMs = this.options.retryMs ?? 30_000): void {
    if (this.timer || this.retrying) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.retrying = true;
      void this.sync()
        .then((sync) => sync.retryQueued())
        .then(
          ({ left }) => left,
          () => 1,
        )
        .then((left) => {
          this.retrying = false;
          if (left > 0) this.scheduleRetry();
        });
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Some seconds after start, when a backend is set: retries what an earlier session queued
   * (late, so the capsule engine does not load during the server's start).
   */
  resumeLater(delayMs = 15_000): void {
    const timer = setTimeout(() => {
      void (async () => {
        if (!(await this.url())) return;
        if ((await (await this.sync()).outbox.entries()).length > 0) this.scheduleRetry(0);
      })().catch(() => undefined);
    }, delayMs);
    timer.unref();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
