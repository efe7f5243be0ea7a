// Pushes that could not reach the backend, kept beside the workspace's capsule store and retried
// later, so an offline push loses nothing. Holds capsule references, the server URL and whether the
// user chose to send likely secrets, never a key. An entry that does not say so (queued by an
// older QLP) leaves them out.
// A queue file that cannot be read is never overwritten: it is renamed aside with a timestamp,
// reported once, and a new queue starts beside it.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { array, boolean, number, object, string } from 'zod';
import { writeFileAtomic } from '../common/atomicFile';
import { noticeToStderr } from '../capsule/capsuleStore';
import { CorruptStoreError } from '../capsule/errors';
import { errnoCode } from '../common/errno';

export interface OutboxEntry {
  server: string;
  id: string;
  version: number;
  queuedAt: string;
  attempts: number;
  lastError: string;
  /** The user chose to send files that look like they hold secrets; absent or false: they are left out. */
  includeSecrets?: boolean;
}

const outboxSchema = object({
  entries: array(
    object({
      server: string(),
      id: string(),
      version: number().int().positive(),
      queuedAt: string(),
      attempts: number().int().nonnegative(),
      lastError: string(),
      includeSecrets: boolean().optional(),
    }),
  ),
});

export class Outbox {
  readonly path: string;
  /** One change at a time: reads and writes of the file never interleave. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    storeDir: string,
    /** Tells the user that an unreadable queue was set aside. */
    private readonly onNotice: (message: string) => void = noticeToStderr,
  ) {
    this.path = join(storeDir, 'sync-outbox.json');
  }

  async entries(): Promise<OutboxEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      return this.setAside(`cannot be read (${errnoCode(err) ?? (err as Error).message})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.setAside('is damaged (not JSON)');
    }
    const checked = outboxSchema.safeParse(parsed);
    if (!checked.success) return this.setAside(`is damaged (${checked.error.issues[0].path.join('.') || 'the file'}: ${checked.error.issues[0].message})`);
    return checked.data.entries;
  }

  /** Queues a push, or updates the one queued for the same version (the latest choice about secrets wins). */
  add(server: string, id: string, version: number, error: string, includeSecrets = false): Promise<void> {
    return this.change((list) => {
      const existing = list.find((e) => e.server === server && e.id === id && e.version === version);
      if (existing) Object.assign(existing, { lastError: error, includeSecrets });
      else list.push({ server, id, version, queuedAt: new Date().toISOString(), attempts: 0, lastError: error, includeSecrets });
    });
  }

  /** Records an attempt's outcome: `null` removes the entry (pushed, or refused for good). */
  settle(entry: OutboxEntry, error: string | null): Promise<void> {
    return this.change((list) => {
      const index = list.findIndex((e) => e.server === entry.server && e.id === entry.id && e.version === entry.version);
      if (index < 0) return;
      if (error === null) list.splice(index, 1);
      else Object.assign(list[index], { attempts: list[index].attempts + 1, lastError: error });
    });
  }

  /** Renames the unreadable queue file aside (kept, never overwritten) and reports it; the queue starts empty. */
  private async setAside(why: string): Promise<OutboxEntry[]> {
    const aside = `${this.path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(this.path, aside);
    } catch (err) {
      // Another reader set it aside a moment ago.
      if (errnoCode(err) === 'ENOENT') return [];
      throw new CorruptStoreError(
        `The queue of pushes ${this.path} ${why} and cannot be moved aside (${errnoCode(err) ?? (err as Error).message}); repair or remove it.`,
      );
    }
    this.onNotice(
      `The queue of pushes waiting for the team backend ${why}; it was kept as ${aside} and a new queue started: push those capsules again, or repair that file and put it back.`,
    );
    return [];
  }

  private change(edit: (list: OutboxEntry[]) => void): Promise<void> {
    const next = this.chain.then(async () => {
      const list = await this.entries();
      edit(list);
      await writeFileAtomic(this.path, `${JSON.stringify({ entries: list }, null, 2)}\n`);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
