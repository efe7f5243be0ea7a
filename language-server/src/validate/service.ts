// Validation as the two faces use it: the CPU-heavy stages in the worker thread, the tests stage
// (sandbox I/O) here with the injected runner; one report, one score.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StageId, ValidationReport } from '../../../protocol/validate';
import type { ValidateInput } from './pipeline';
import { addStage, finishReport, timedOutcome } from './report';
import { runTestsStage, type RunTests } from './stages/tests';
import { ValidationWorker } from './worker/client';

/** Where a failure of the tests stage is reported: the project's manifest, else the folder. */
function projectManifest(root: string): string {
  return ['package.json', 'pyproject.toml', 'setup.py', 'setup.cfg'].find((name) => existsSync(join(root, name))) ?? '.';
}

export class ValidationService {
  constructor(
    private readonly worker = new ValidationWorker(),
    private readonly runTests?: RunTests,
  ) {}

  async validate(input: ValidateInput, signal: AbortSignal, progress: (message: string) => void = () => undefined): Promise<ValidationReport> {
    const report = await this.worker.validate({ ...input, stages: input.stages.filter((s): s is StageId => s !== 'tests') }, signal, progress);
    if (!input.stages.includes('tests')) return report;
    const { outcome, durationMs } = await timedOutcome(
      () => runTestsStage(this.runTests, input.root, input.trusted || input.sandboxUntrustedTests === true, signal, progress),
      signal,
    );
    const findings = 'findings' in outcome ? outcome.findings.map((f) => ({ ...f, stage: 'tests' as const })) : [];
    addStage(report, 'tests', outcome, findings, durationMs, projectManifest(input.root));
    return finishReport(report);
  }

  dispose(): Promise<void> {
    return this.worker.dispose();
  }
}
