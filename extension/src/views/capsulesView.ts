// The QLP Capsules view: each capsule, its versions newest first, with time, cost and whether
// it was validated (snapshots of hand-written folders say they were not).
import { counted } from '../../../protocol/validate';
import * as vscode from 'vscode';
import type { TeamCapsule } from '../../../protocol/backendApi';
import type { CapsuleSummary, CapsuleVersionSummary } from '../../../protocol/capsuleApi';
import { serverRequests } from '../../../protocol/lsp';
import { versionIcon, versionLabel } from '../capsules/present';
import { commandIds } from '../commands/ids';
import type { Ctx } from '../ctx';
import { capsuleRowDescription, versionRowDescription, versionRowTooltip } from './capsuleRows';

export const capsulesViewId = 'qlp.capsules';

export type CapsuleNode = { kind: 'capsule'; capsule: CapsuleSummary };
export type VersionNode = { kind: 'version'; capsule: CapsuleSummary; version: CapsuleVersionSummary };
/** The team backend's capsules (only when qlp.backend.url is set), and notes about it. */
export type TeamNode = { kind: 'team'; url: string };
export type TeamCapsuleNode = { kind: 'teamCapsule'; capsule: TeamCapsule };
type NoteNode = { kind: 'note'; message: string; icon: string };
export type CapsuleTreeNode = CapsuleNode | VersionNode | TeamNode | TeamCapsuleNode | NoteNode;

const backendUrl = () => vscode.workspace.getConfiguration('qlp').get<string>('backend.url', '').trim();

export class CapsulesView implements vscode.TreeDataProvider<CapsuleTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CapsuleTreeNode | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private view: vscode.TreeView<CapsuleTreeNode> | undefined;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    this.subscriptions.push(
      this.changed,
      ctx.onDidChangeState(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('qlp.backend.url') && this.refresh()),
    );
  }

  /** Creates the tree view; returns what to dispose. */
  register(): vscode.Disposable {
    this.view = vscode.window.createTreeView(capsulesViewId, { treeDataProvider: this, showCollapseAll: true });
    return vscode.Disposable.from(this.view, this);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: CapsuleTreeNode): Promise<CapsuleTreeNode[]> {
    if (node?.kind === 'team') return this.teamChildren();
    if (node?.kind === 'capsule') return node.capsule.versions.map((version) => ({ kind: 'version', capsule: node.capsule, version }));
    if (node) return [];
    if (this.ctx.serverState !== 'ready') {
      this.setMessage(`The QLP language server is ${this.ctx.serverState}.`);
      return [];
    }
    try {
      const { capsules } = await this.ctx.request(serverRequests.capsuleList, {});
      this.setMessage(undefined);
      const url = backendUrl();
      return [...capsules.map((capsule): CapsuleTreeNode => ({ kind: 'capsule', capsule })), ...(url ? [{ kind: 'team', url } as const] : [])];
    } catch (err) {
      this.setMessage(err instanceof Error ? err.message : String(err));
      return [];
    }
  }

  /** The team list never blocks the local one: it loads when its node is shown, and says why when it cannot. */
  private async teamChildren(): Promise<CapsuleTreeNode[]> {
    try {
      const team = await this.ctx.request(serverRequests.teamList, {});
      const notes: CapsuleTreeNode[] = [];
      if (team.error) notes.push({ kind: 'note', message: team.error, icon: 'warning' });
      if (team.pending) notes.push({ kind: 'note', message: `${team.pending} push${team.pending === 1 ? '' : 'es'} waiting for the backend`, icon: 'clock' });
      if (!team.error && team.capsules.length === 0) notes.push({ kind: 'note', message: 'No team capsules yet', icon: 'info' });
      return [...notes, ...team.capsules.map((capsule): CapsuleTreeNode => ({ kind: 'teamCapsule', capsule }))];
    } catch (err) {
      return [{ kind: 'note', message: err instanceof Error ? err.message : String(err), icon: 'warning' }];
    }
  }

  getTreeItem(node: CapsuleTreeNode): vscode.TreeItem {
    if (node.kind === 'team') {
      const item = new vscode.TreeItem('Team', vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'qlp.team';
      item.description = node.url;
      item.iconPath = new vscode.ThemeIcon('cloud');
      return item;
    }
    if (node.kind === 'note') {
      const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      return item;
    }
    if (node.kind === 'teamCapsule') {
      const { capsule } = node;
      const item = new vscode.TreeItem(capsule.name, vscode.TreeItemCollapsibleState.None);
      item.id = `team:${capsule.id}`;
      item.description = `v${capsule.version} · ${counted(capsule.files, 'file')} · ${capsule.pushedBy}`;
      item.tooltip = `${capsule.name} (${capsule.id}@${capsule.version})\nPushed ${capsule.pushedAt} by ${capsule.pushedBy}${capsule.requirements ? `\n${capsule.requirements}` : ''}`;
      item.iconPath = new vscode.ThemeIcon('cloud');
      item.contextValue = 'qlp.teamCapsule';
      return item;
    }
    if (node.kind === 'capsule') {
      const item = new vscode.TreeItem(node.capsule.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.capsule.id;
      item.description = capsuleRowDescription(node.capsule);
      item.tooltip = `${node.capsule.name} (${node.capsule.id})\n${node.capsule.folder}`;
      item.iconPath = new vscode.ThemeIcon('package');
      item.contextValue = 'qlp.capsule';
      return item;
    }
    const { capsule, version } = node;
    const item = new vscode.TreeItem(versionLabel(version), vscode.TreeItemCollapsibleState.None);
    item.id = `${capsule.id}@${version.version}`;
    item.description = versionRowDescription(version);
    item.tooltip = new vscode.MarkdownString(versionRowTooltip(capsule, version));
    const icon = versionIcon(version);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = 'qlp.capsuleVersion';
    item.accessibilityInformation = { label: `${capsule.name} ${versionLabel(version)}, ${versionRowDescription(version, true)}` };
    item.command = { command: commandIds.compareWithPrevious, title: 'Compare with previous version', arguments: [node] };
    return item;
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private setMessage(message: string | undefined): void {
    if (this.view) this.view.message = message;
  }
}
