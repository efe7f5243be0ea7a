// The machine's facts for the health report. Docker, bubblewrap and storage are re-probed in the
// background once they are a few seconds old, so a health request answers at once; the model
// providers are asked each time (they are always current).
import type { MachineReport, ProviderProbe } from '../../../protocol/machine';
import { probeMachine } from '../machine/report';

const machineProbeTtlMs = 5000;

export function machineProbe(storageDir: () => string, providers: () => Promise<ProviderProbe[]>): () => Promise<MachineReport> {
  let latest: { at: number; storageDir: string; report: Promise<MachineReport> } | undefined;
  let reprobing = false;
  const probe = (dir: string) => ({ at: Date.now(), storageDir: dir, report: probeMachine({ env: process.env, storageDir: dir, providers: [] }) });
  return async () => {
    if (!latest || latest.storageDir !== storageDir()) latest = probe(storageDir());
    const current = latest;
    if (Date.now() - current.at > machineProbeTtlMs && !reprobing) {
      reprobing = true;
      const next = probe(current.storageDir);
      void next.report.finally(() => {
        reprobing = false;
        if (latest === current) latest = next;
      });
    }
    return { ...(await current.report), providers: await providers() };
  };
}
