import * as vscode from 'vscode';
import { formatUsd } from '../../../protocol/llm';
import { serverRequests, type FixFindingsParams } from '../../../protocol/lsp';
import type { CommandDeps } from './index';

type Findings = FixFindingsParams['findings'];

const severityNames: Record<number, string> = { [vscode.DiagnosticSeverity.Error]: 'error', [vscode.DiagnosticSeverity.Warning]: 'warning' };

/** The file's QLP errors as findings, when the command comes from the palette. */
function errorsOf(uri: vscode.Uri): Findings {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.severity === vscode.DiagnosticSeverity.Error && d.source)
    .map((d) => ({
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      severity: severityNames[d.severity] ?? 'error',
      source: d.source!,
      ...(d.code !== undefined ? { code: String(typeof d.code === 'object' ? d.code.value : d.code) } : {}),
      message: d.message,
    }));
}

/**
 * "Ask QLP to fix" (a quick fix on QLP's findings): sends the file and the findings to one repair
 * turn and applies the corrected file as one edit, which Undo reverts. Nothing is applied if the
 * document changed meanwhile.
 */
export const askToFix =
  ({ ctx }: CommandDeps) =>
  async (uriArg?: unknown, findingsArg?: unknown) => {
    const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg instanceof vscode.Uri ? uriArg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return void vscode.window.showInformationMessage('QLP: open a file with a QLP finding to ask for a fix.');
    const document = await vscode.workspace.openTextDocument(uri);
    // From the quick fix: the findings at the cursor, already shaped by the server.
    const findings = Array.isArray(findingsArg) && findingsArg.length ? (findingsArg as Findings) : errorsOf(uri);
    if (!findings.length) return void vscode.window.showInformationMessage('QLP: this file has no errors to fix.');
    const version = document.version;
    const text = document.getText();
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `QLP: fixing ${vscode.workspace.asRelativePath(uri)}`, cancellable: true },
      async (_progress, token) => {
        try {
          const fix = await ctx.request(serverRequests.fixFindings, { uri: uri.toString(), text, findings }, { token });
          if (token.isCancellationRequested) return;
          if (document.version !== version)
            return void vscode.window.showWarningMessage('QLP: the file changed while QLP was fixing it; nothing was applied. Ask again.');
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
      },
    );
  };
