// Findings as LSP diagnostics (with a link to each rule's docs) and their fixes as code actions
// (pure; server.ts sends them).
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import { askToFixCommand } from '../../../protocol/generate';
import type { FixFindingsParams } from '../../../protocol/lsp';
import type { Finding, FindingFix, StageId, TextEditSpec } from '../../../protocol/validate';
import { ruleDocsUrl } from '../validate/ruleDocs';
import { suppressionFor } from '../validate/suppressComments';

export const fixAllKind = `${CodeActionKind.SourceFixAll}.qlp`;

const severities = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** What a diagnostic carries back to the server in a code action request. */
interface DiagnosticData {
  fix?: FindingFix;
  stage?: StageId;
}

const position = (line: number, column: number) => ({ line: Math.max(0, line - 1), character: Math.max(0, column - 1) });

export function toDiagnostic(f: Finding): Diagnostic {
  const href = ruleDocsUrl(f);
  return {
    range: { start: position(f.line, f.column), end: position(f.endLine, f.endColumn) },
    severity: severities[f.severity],
    source: f.source,
    ...(f.code ? { code: f.code } : {}),
    ...(href ? { codeDescription: { href } } : {}),
    message: f.message,
    data: { fix: f.fix, stage: f.stage } satisfies DiagnosticData,
  };
}

function toTextEdit(e: TextEditSpec): TextEdit {
  return { range: { start: position(e.line, e.column), end: position(e.endLine, e.endColumn) }, newText: e.newText };
}

/** Quick fixes for the diagnostics the client sends back (each carries its tool's fix). */
export function quickFixes(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  return diagnostics.flatMap((d) => {
    const fix = (d.data as DiagnosticData | undefined)?.fix;
    if (!fix) return [];
    return [{ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: fix.edits.map(toTextEdit) } } }];
  });
}

/** An open document as the code action request finds it. */
export interface OpenText {
  text: string;
  version: number;
}

/**
 * "Disable <rule> for this line" for QLP's diagnostics whose tool reads a suppression comment
 * (ESLint, Ruff, pyright, TypeScript): one versioned edit, so it applies only to the text it was
 * made for and Undo takes it back.
 */
export function disableActions(uri: string, doc: OpenText | undefined, diagnostics: Diagnostic[]): CodeAction[] {
  if (!doc) return [];
  const lines = doc.text.split(/\r?\n/);
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const seen = new Set<string>();
  return diagnostics.flatMap((d): CodeAction[] => {
    const data = d.data as DiagnosticData | undefined;
    if (!data || d.code === undefined || !d.source) return [];
    const line = d.range.start.line + 1;
    const suppression = suppressionFor({ source: d.source, code: String(d.code), stage: data.stage ?? 'lint', line }, lines, eol);
    const key = `${d.source}:${d.code}:${line}`;
    if (!suppression || seen.has(key)) return [];
    seen.add(key);
    return [
      {
        title: suppression.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { documentChanges: [{ textDocument: { uri, version: doc.version }, edits: [toTextEdit(suppression.edit)] }] },
      },
    ];
  });
}

const before = (a: TextEditSpec, b: TextEditSpec) => a.endLine < b.line || (a.endLine === b.line && a.endColumn <= b.column);

/** Every fix of the file that does not overlap an earlier one, as one action. */
export function fixAllAction(uri: string, findings: Finding[], kind: string = fixAllKind): CodeAction | undefined {
  const chosen: TextEditSpec[] = [];
  const fixes = findings.flatMap((f) => (f.fix ? [f.fix] : [])).sort((a, b) => a.edits[0].line - b.edits[0].line || a.edits[0].column - b.edits[0].column);
  for (const fix of fixes) {
    if (fix.edits.some((e) => chosen.some((c) => !(before(c, e) || before(e, c))))) continue;
    chosen.push(...fix.edits);
  }
  if (chosen.length === 0) return undefined;
  return { title: 'Fix all auto-fixable problems', kind, edit: { changes: { [uri]: chosen.map(toTextEdit) } } };
}

const severityNames: Record<number, string> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
};

/** "Ask QLP to fix" for QLP's own errors and warnings at the cursor: the editor runs one model repair turn. */
export function askQlpAction(uri: string, diagnostics: Diagnostic[]): CodeAction | undefined {
  const ours = diagnostics.filter((d) => d.data !== undefined && (d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning));
  if (!ours.length) return undefined;
  const findings: FixFindingsParams['findings'] = ours.map((d) => ({
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    severity: severityNames[d.severity ?? DiagnosticSeverity.Error] ?? 'error',
    source: d.source ?? 'qlp',
    ...(d.code !== undefined ? { code: String(d.code) } : {}),
    message: d.message,
  }));
  return {
    title: 'Ask QLP to fix',
    kind: CodeActionKind.QuickFix,
    diagnostics: ours,
    command: { title: 'Ask QLP to fix', command: askToFixCommand, arguments: [uri, findings] },
  };
}
