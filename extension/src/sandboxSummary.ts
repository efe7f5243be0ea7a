// How a sandboxed test run reads in the editor: one line for notifications, a block for the output.
import { counted } from '../../protocol/validate';
import type { TestRunResult } from '../../protocol/sandbox';

/** `3 passed, 1 failed, 0 skipped` or a sentence when no runner reported counts. */
export function countsText(result: TestRunResult): string {
  const t = result.tests;
  return t ? `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped` : 'no test counts reported';
}

/** The notification line: status, counts, sandbox and time. */
export function resultLine(result: TestRunResult): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const head = { passed: 'Tests passed', failed: 'Tests failed', timeout: 'Tests timed out', error: 'Tests could not run' }[result.status];
  return `${head}: ${countsText(result)} in the ${result.sandbox} sandbox (${seconds} s).${result.error ? ` ${result.error}` : ''}`;
}

/** The closing block in the output channel: result, command, coverage and the receipt's hashes. */
export function resultBlock(result: TestRunResult): string {
  const r = result.receipt;
  const lines = [
    '',
    `■ ${resultLine(result)}`,
    `  Command: ${result.command} (exit ${result.exitCode ?? 'none: stopped'})`,
    ...(result.coverage ? [`  Coverage (${result.coverage.tool}): ${result.coverage.linesPct}% of lines`] : []),
    ...(result.oomKilled ? ['  The sandbox ran out of memory.'] : []),
    `  Environment: ${r.environment.image} on ${r.environment.runtime}`,
    `  Inputs: ${counted(r.files.length, 'file')}, sha256 ${r.inputHash}`,
    ...r.phases.map(
      (p) =>
        `  ${p.phase}: stdout sha256 ${p.stdout.sha256.slice(0, 16)}… (${p.stdout.bytes} bytes${p.stdout.cutBytes ? `, ${p.stdout.cutBytes} cut` : ''}), ${p.durationMs} ms`,
    ),
  ];
  return lines.join('\n');
}
