// Everything the engine needs to know about this machine, probed in parallel.
import type { MachineReport, ProviderProbe } from '../../../protocol/machine';
import { probeBubblewrap } from './bubblewrap';
import { probeDockerEngine } from './dockerProbe';
import { probeNode } from './node';
import { probeStorage } from './storage';

export interface MachineReportInput {
  env: NodeJS.ProcessEnv;
  storageDir: string;
  providers: ProviderProbe[];
}

export async function probeMachine(input: MachineReportInput): Promise<MachineReport> {
  const [docker, bubblewrap, storage] = await Promise.all([probeDockerEngine(input.env), probeBubblewrap(input.env.PATH), probeStorage(input.storageDir)]);
  const node = probeNode();
  const sandbox = docker.reachable ? 'docker' : bubblewrap.available ? 'bwrap' : null;
  return {
    node,
    docker,
    bubblewrap,
    storage,
    providers: input.providers,
    sandbox,
    ok: node.supported && storage.writable && sandbox !== null,
  };
}
