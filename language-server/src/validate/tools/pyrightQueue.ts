// One pyright process at a time per folder: requests that arrive while one runs (editor tabs
// opening together, saves in a row) wait and then share a single run over all their files.
import { join } from 'node:path';
import { relPath } from '../findings';
import type { StageFinding } from '../model';

type Check = (root: string, absPaths: string[], signal: AbortSignal) => Promise<StageFinding[]>;

interface Waiter {
  files: Set<string>;
  signal: AbortSignal;
  resolve(findings: StageFinding[]): void;
  reject(err: unknown): void;
}

interface Folder {
  running: boolean;
  waiting: Waiter[];
}

export class PyrightQueue {
  private readonly folders = new Map<string, Folder>();

  constructor(private readonly check: Check) {}

  run(root: string, absPaths: string[], signal: AbortSignal): Promise<StageFinding[]> {
    let folder = this.folders.get(root);
    if (!folder) this.folders.set(root, (folder = { running: false, waiting: [] }));
    const queued = folder;
    return new Promise<StageFinding[]>((resolve, reject) => {
      const waiter: Waiter = { files: new Set(absPaths.map((p) => relPath(root, p))), signal, resolve, reject };
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      queued.waiting.push(waiter);
      if (!queued.running) void this.drain(root, queued);
    });
  }

  private async drain(root: string, folder: Folder): Promise<void> {
    folder.running = true;
    while (folder.waiting.length) {
      const batch = folder.waiting.splice(0).filter((w) => !w.signal.aborted);
      if (batch.length === 0) break;
      const all = [...new Set(batch.flatMap((w) => [...w.files]))].map((f) => join(root, ...f.split('/')));
      // The run is cancelled only when every request it serves was.
      const controller = new AbortController();
      const abortIfAll = () => batch.every((w) => w.signal.aborted) && controller.abort();
      for (const w of batch) w.signal.addEventListener('abort', abortIfAll, { once: true });
      try {
        const findings = await this.check(root, all, controller.signal);
        for (const w of batch) w.resolve(findings.filter((f) => w.files.has(f.file)));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    folder.running = false;
  }
}
