// The QLP Capsules view: each capsule, its versions newest first, with time, cost and whether
// it was validated (snapshots of hand-written folders say they were not).
import * as vscode from 'vscode';
import type { CapsuleSummary, CapsuleVersionSummary } from '../../../protocol/capsuleApi';
import { serverRequests } from '../../../protocol/lsp';
import { capsuleDescription, versionDescription, versionIcon, versionLabel, versionTooltip } from '../capsules/present';
import { commandIds } from '../commands/ids';
import type { Ctx } from '../ctx';

export const capsulesViewId = 'qlp.capsules';

export type CapsuleNode = { kind: 'capsule'; capsule: CapsuleSummary };
export type VersionNode = { kind: 'version'; capsule: CapsuleSummary; version: CapsuleVersionSummary };
export type CapsuleTreeNode = CapsuleNode | VersionNode;

export class CapsulesView implements vscode.TreeDataProvider<CapsuleTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CapsuleTreeNode | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private view: vscode.TreeView<CapsuleTreeNode> | undefined;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    this.subscriptions.push(this.changed, ctx.onDidChangeState(() => this.refresh()));
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
    if (node?.kind === 'version') return [];
    if (node) return node.capsule.versions.map((version) => ({ kind: 'version', capsule: node.capsule, version }));
    if (this.ctx.serverState !== 'ready') {
      this.setMessage(`The QLP language server is ${this.ctx.serverState}.`);
      return [];
    }
    try {
      const { capsules } = await this.ctx.request(serverRequests.capsuleList, {});
      this.setMessage(undefined);
      return capsules.map((capsule) => ({ kind: 'capsule', capsule }));
    } catch (err) {
      this.setMessage(err instanceof Error ? err.message : String(err));
      return [];
    }
  }

  getTreeItem(node: CapsuleTreeNode): vscode.TreeItem {
    if (node.kind === 'capsule') {
      const item = new vscode.TreeItem(node.capsule.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.capsule.id;
      item.description = capsuleDescription(node.capsule);
      item.tooltip = `${node.capsule.name} (${node.capsule.id})\n${node.capsule.folder}`;
      item.iconPath = new vscode.ThemeIcon('package');
      item.contextValue = 'qlp.capsule';
      return item;
    }
    const { capsule, version } = node;
    const item = new vscode.TreeItem(versionLabel(version), vscode.TreeItemCollapsibleState.None);
    item.id = `${capsule.id}@${version.version}`;
    item.description = versionDescription(version);
    item.tooltip = new vscode.MarkdownString(versionTooltip(capsule, version));
    const icon = versionIcon(version);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = 'qlp.capsuleVersion';
    item.accessibilityInformation = { label: `${capsule.name} ${versionLabel(version)}, ${versionDescription(version)}` };
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
