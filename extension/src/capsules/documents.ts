// Read-only documents for the files of capsule versions (`qlp-capsule:/<id>@<version>/<path>`),
// read from the server (which checks each blob's hash): the left and right sides of diffs.
import * as vscode from 'vscode';
import { serverRequests } from '../../../protocol/lsp';
import type { Ctx } from '../ctx';
import { formatBytes } from './present';

export const capsuleScheme = 'qlp-capsule';

export function versionFileUri(id: string, version: number, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: capsuleScheme, path: `/${id}@${version}/${path}` });
}

export function parseVersionFileUri(uri: vscode.Uri): { id: string; version: number; path: string } | undefined {
  const [, ref, ...rest] = uri.path.split('/');
  const match = /^([^@]+)@(\d+)$/.exec(ref ?? '');
  if (!match || rest.length === 0) return undefined;
  return { id: match[1], version: Number(match[2]), path: rest.join('/') };
}

export class CapsuleDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly ctx: Ctx) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const file = parseVersionFileUri(uri);
    if (!file) throw new Error(`${uri.toString()} does not name a file of a capsule version.`);
    const result = await this.ctx.request(serverRequests.capsuleReadFile, file, { token });
    if ('text' in result) return result.text;
    return `Binary file, ${formatBytes(result.size)} (sha256 ${result.sha256}); QLP does not show its content.\n`;
  }
}
