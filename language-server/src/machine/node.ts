import type { NodeProbe } from '../../../protocol/machine';

/** The oldest Node.js major the engine supports. */
export const minimumNodeMajor = 20;

export function probeNode(version: string = process.versions.node): NodeProbe {
  const major = Number(version.split('.')[0]);
  return { version, supported: major >= minimumNodeMajor };
}
