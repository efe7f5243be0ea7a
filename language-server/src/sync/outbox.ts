// Pushes that could not reach the backend, kept beside the workspace's capsule store and retried
// later, so an offline push loses nothing. Holds capsule references and the server URL, never a key.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../capsule/atomicFile';

export interface OutboxEntry {
  server: string;
  id: string;
  version: number;
  queuedAt: string;
  attempts: number;
  lastError: string;
}

export class Outbox {
  readonly path: string;
  /** One change at a time: reads and writes of the file never interleave. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(storeDir: string) {
    this.path = join(storeDir, 'sync-outbox.json');
  }

  async entries(): Promise<OutboxEntry[]> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as { entries?: OutboxEntry[] };
      return Array.isArray(parsed.entries) ? parsed.entries : [];
    } catch {
      return [];
    }
  }

  add(server: string, id: string, version: number, error: string): Promise<void> {
    return this.change((list) => {
      const existing = list.find((e) => e.server === server && e.id === id && e.version === version);
      if (existing) existing.lastError = error;
      else list.push({ server, id, version, queuedAt: new Date().toISOString(), attempts: 0, lastError: error });
    });
  }

  /** Records an attempt's outcome: `null` removes the entry (done, or not worth retrying). */
  settle(entry: OutboxEntry, error: string | null): Promise<void> {
    return this.change((list) => {
      const index = list.findIndex((e) => e.server === entry.server && e.id === entry.id && e.version === entry.version);
      if (index < 0) return;
      if (error === null) list.splice(index, 1);
      else Object.assign(list[index], { attempts: list[index].attempts + 1, lastError: error });
    });
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
