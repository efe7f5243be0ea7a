// Tells when a file may have changed: a watcher on its folder (instant where the platform has one,
// and it survives the file being replaced), and a poll behind it for folders that do not exist yet
// or file systems that send no events. Neither keeps the process alive.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export function watchForChanges(file: string, onChange: () => void, pollMs = 500): () => void {
  let watcher: FSWatcher | undefined;
  const name = basename(file);
  const startWatcher = () => {
    if (watcher) return;
    try {
      watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
        if (!changed || changed === name) onChange();
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      // The folder does not exist yet (no call was ever recorded): the poll covers it.
    }
  };
  startWatcher();
  const timer = setInterval(() => {
    startWatcher();
    onChange();
  }, pollMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    watcher?.close();
  };
}
