// One run's two output streams as both sandboxes keep them: report blocks split off stdout
// first (when the run asked for them), then head + tail captures, with the caller's live callback.
import { OutputCapture, type CapturedOutput } from './output';
import { ReportSplitter } from './reportBlocks';
import type { RunReport, RunSpec } from './types';

export class RunOutput {
  private readonly out: OutputCapture;
  private readonly err: OutputCapture;
  private readonly splitter: ReportSplitter | undefined;

  constructor(
    outputBytes: number,
    private readonly run: RunSpec,
  ) {
    this.out = new OutputCapture('stdout', outputBytes);
    this.err = new OutputCapture('stderr', outputBytes);
    this.splitter = run.reportNonce ? new ReportSplitter(run.reportNonce, (chunk) => this.shownStdout(chunk), run.onReport) : undefined;
  }

  readonly stdout = (chunk: Buffer): void => {
    if (this.splitter) this.splitter.write(chunk);
    else this.shownStdout(chunk);
  };

  readonly stderr = (chunk: Buffer): void => {
    this.err.write(chunk);
    this.run.onOutput?.('stderr', chunk.toString('utf8'));
  };

  /** The captured streams and the report; call once, at the end. */
  finish(): { stdout: CapturedOutput; stderr: CapturedOutput; report?: RunReport } {
    const report = this.splitter?.finish();
    return { stdout: this.out.finish(), stderr: this.err.finish(), ...(report ? { report } : {}) };
  }

  private shownStdout(chunk: Buffer): void {
    this.out.write(chunk);
    this.run.onOutput?.('stdout', chunk.toString('utf8'));
  }
}
