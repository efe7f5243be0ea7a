import * as vscode from 'vscode';
import { formatUsd } from '../../../protocol/llm';
import { serverRequests } from '../../../protocol/lsp';
import type { CommandDeps } from './index';

/** The diagnostics the code action passes, as VS Code hands them back (plain objects). */
interface DiagnosticArg {
  range: { start: { line: number; character: number } };
  severity?: number;
  source?: string;
  code?: string | number | { value: string | number };
  message: string;
}

const severities = ['error', 'warning', 'info', 'hint'];

/**
 * "Ask QLP to fix" (a quick fix on QLP's findings): sends the file and the findings to one repair
 * turn and applies the corrected file as one edit, which Undo reverts. Nothing is applied if the
 * document changed meanwhile.
 */
export const askToFix = ({ ctx }: CommandDeps) => async (uriArg?: unknown, diagnosticsArg?: unknown) => {
  const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg instanceof vscode.Uri ? uriArg : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return void vscode.window.showInformationMessage('QLP: open a file with a QLP finding to ask for a fix.');
  const document = await vscode.workspace.openTextDocument(uri);
  const given = (Array.isArray(diagnosticsArg) ? diagnosticsArg : []) as DiagnosticArg[];
  const diagnostics = given.length ? given : vscode.languages.getDiagnostics(uri).filter((d) => d.source && d.severity === vscode.DiagnosticSeverity.Error);
  const findings = diagnostics.map((d) => ({
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    severity: severities[d.severity ?? 0] ?? 'error',
    source: d.source ?? 'qlp',
    ...(d.code !== undefined ? { code: String(typeof d.code === 'object' ? d.code.value : d.code) } : {}),
    message: d.message,
  }));
  const version = document.version;
  const text = document.getText();
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `QLP: fixing ${vscode.workspace.asRelativePath(uri)}`, cancellable: true }, async (_progress, token) => {
    try {
      const fix = await ctx.request(serverRequests.fixFindings, { uri: uri.toString(), text, findings }, { token });
      if (token.isCancellationRequested) return;
      if (document.version !== version) return void vscode.window.showWarningMessage('QLP: the file changed while QLP was fixing it; nothing was applied. Ask again.');
      if (fix.text === text) return void vscode.window.showInformationMessage(`QLP: ${fix.model} proposed no change.`);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(text.length)), fix.text);
      await vscode.workspace.applyEdit(edit);
      ctx.output.info(`Ask QLP to fix: ${vscode.workspace.asRelativePath(uri)} fixed by ${fix.tier} ${fix.model} (${formatUsd(fix.costUsd)}).`);
      void vscode.window.showInformationMessage(`QLP: applied the fix by ${fix.model} (${formatUsd(fix.costUsd)}); Undo reverts it.`);
    } catch (err) {
      if (token.isCancellationRequested) return;
      const message = err instanceof Error ? err.message : String(err);
      ctx.output.error(`Ask QLP to fix: ${message}`);
      void vscode.window.showErrorMessage(`QLP: ${message}`);
    }
  });
};
