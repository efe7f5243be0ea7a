// `qlp validate` output: the contract's JSON, SARIF 2.1.0, and text for people.
import { counted, findingCounts, notCheckedNote, type Finding, type ValidationReport } from '../../../protocol/validate';
import { qlpVersion } from '../common/version';

/** The contract's JSON document (fixes are an editor matter and stay out). */
export function toJson(report: ValidationReport): string {
  const diagnostics = report.diagnostics.map(({ fix: _fix, ...finding }) => finding);
  return JSON.stringify(
    {
      diagnostics,
      stages: report.stages,
      score: report.score,
      // The requested stages the score does not cover, and why (skipped, nothing to check, a tool that failed).
      unscored: report.unscored,
      files: report.files,
      ...(report.tests ? { tests: report.tests } : {}),
      ...(report.coverage !== undefined ? { coverage: report.coverage } : {}),
      // The sandbox's result with its receipt: the evidence behind the tests stage.
      ...(report.testRun ? { testRun: report.testRun } : {}),
    },
    null,
    2,
  );
}

const sarifLevel = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF 2.1.0: one run per tool, rules listed per tool, locations relative to the folder. */
export function toSarif(report: ValidationReport, root: string): string {
  const bySource = new Map<string, Finding[]>();
  for (const f of report.diagnostics) bySource.set(f.source, [...(bySource.get(f.source) ?? []), f]);
  const runs = [...bySource.entries()].map(([source, findings]) => {
    const ruleIds = [...new Set(findings.map((f) => f.code ?? source))];
    return {
      tool: { driver: { name: source, informationUri: 'https://github.com/qlp', rules: ruleIds.map((id) => ({ id })) } },
      originalUriBaseIds: { SRCROOT: { uri: `file://${root.endsWith('/') ? root : `${root}/`}` } },
      results: findings.map((f) => ({
        ruleId: f.code ?? source,
        ruleIndex: ruleIds.indexOf(f.code ?? source),
        level: sarifLevel[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: encodeURI(f.file), uriBaseId: 'SRCROOT' },
              region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
            },
          },
        ],
        properties: { stage: f.stage },
      })),
    };
  });
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: runs.length ? runs : [{ tool: { driver: { name: 'qlp', version: qlpVersion, rules: [] } }, results: [] }],
    },
    null,
    2,
  );
}

export function toText(report: ValidationReport): string {
  const lines: string[] = [];
  let current = '';
  for (const f of report.diagnostics) {
    if (f.file !== current) {
      if (current) lines.push('');
      current = f.file;
      lines.push(f.file);
    }
    lines.push(`  ${f.line}:${f.column}  ${f.severity.padEnd(7)}  ${f.message.split('\n')[0]}  ${f.source}${f.code ? `(${f.code})` : ''} [${f.stage}]`);
  }
  if (lines.length) lines.push('');
  for (const s of report.stages) {
    const mark = s.status === 'passed' ? '✔' : s.status === 'failed' ? '✘' : '-';
    lines.push(`${mark} ${s.stage.padEnd(8)} ${s.status.padEnd(7)} ${String(s.durationMs).padStart(6)} ms${s.reason ? `  (${s.reason})` : ''}`);
  }
  const run = report.testRun;
  if (run)
    lines.push(
      `Tests (${run.sandbox}: ${run.command}): ${run.tests ? `${run.tests.passed} passed, ${run.tests.failed} failed, ${run.tests.skipped} skipped` : 'no counts reported'}; inputs sha256 ${run.receipt.inputHash}.`,
    );
  const count = (severity: string) => report.diagnostics.filter((f) => f.severity === severity).length;
  lines.push(
    `${counted(report.files, 'file')}: ${findingCounts({ errors: count('error'), warnings: count('warning'), infos: count('info') })}. Score ${report.score}/100${notCheckedNote(report.unscored)}.`,
  );
  return lines.join('\n');
}
