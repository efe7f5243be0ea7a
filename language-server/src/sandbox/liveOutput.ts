// Output shown live while a run goes on, within a budget: a test printing 200 MB must not flood
// the editor. The full (head and tail) output comes with the result either way.
import type { SandboxProgress } from '../../../protocol/sandbox';
import { formatBytes } from './output';

export const liveOutputBudget = 256 * 1024;

export class LiveOutput {
  private sent = 0;
  private stopped = false;

  constructor(
    private readonly progress: (p: SandboxProgress) => void,
    private readonly budget = liveOutputBudget,
  ) {}

  readonly forward = (stream: 'stdout' | 'stderr', text: string): void => {
    if (this.stopped) return;
    if (this.sent + text.length > this.budget) {
      this.stopped = true;
      this.progress({
        kind: 'output',
        stream: 'stderr',
        text: `\n[qlp: live output stops after ${formatBytes(this.budget)}; the result keeps the beginning and the end]\n`,
      });
      return;
    }
    this.sent += text.length;
    this.progress({ kind: 'output', stream, text });
  };
}
