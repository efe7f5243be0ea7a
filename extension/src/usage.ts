// The latest usage summary from the server's ledger: fetched when the server is ready, and
// pushed by the server whenever the ledger changes (calls made by the command line too) and at
// midnight; the status bar and the Usage view render it.
import * as vscode from 'vscode';
import { formatUsd, type UsageSummary } from '../../protocol/llm';
import { serverRequests } from '../../protocol/lsp';
import type { Ctx } from './ctx';

export class UsageModel implements vscode.Disposable {
  private latest: UsageSummary | undefined;
  private readonly emitter = new vscode.EventEmitter<UsageSummary>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChange = this.emitter.event;

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [ctx.onDidChangeUsage((summary) => this.set(summary)), ctx.onDidChangeState((state) => state === 'ready' && void this.refresh())];
  }

  get summary(): UsageSummary | undefined {
    return this.latest;
  }

  async refresh(): Promise<void> {
    try {
      this.set(await this.ctx.request(serverRequests.usageSummary, undefined));
    } catch (err) {
      this.ctx.output.warn(`Reading the usage ledger: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions, this.emitter).dispose();
  }

  private set(summary: UsageSummary): void {
    this.latest = summary;
    this.emitter.fire(summary);
  }
}

/** The status-bar item: the model of the last call, its tier, and today's spend. */
export function createUsageStatus(usage: UsageModel): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('qlp.usage', vscode.StatusBarAlignment.Left, 9);
  item.name = 'QLP model usage';
  item.command = 'qlp.usage.focus';
  const render = (summary: UsageSummary) => {
    const today = formatUsd(summary.todayTotals.costUsd);
    const model = summary.last ? `${summary.last.tier} ${summary.last.model} · ` : '';
    item.text = `$(pulse) ${model}${today}`;
    const budget = summary.budgets.perDayUsd > 0 ? ` of ${formatUsd(summary.budgets.perDayUsd)}` : '';
    const failures = summary.todayTotals.failures ? ` (and ${summary.todayTotals.failures} failed attempts at no cost)` : '';
    const label = `QLP: ${today}${budget} spent today in ${summary.todayTotals.calls} model calls${failures}${summary.last ? `; last model ${summary.last.provider}:${summary.last.model} (${summary.last.tier})` : ''}`;
    item.tooltip = `${label}. Click for the Usage view.`;
    item.accessibilityInformation = { label };
    const near = summary.budgets.perDayUsd > 0 && summary.todayTotals.costUsd >= 0.8 * summary.budgets.perDayUsd;
    item.backgroundColor = near ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  if (usage.summary) render(usage.summary);
  return vscode.Disposable.from(item, usage.onDidChange(render));
}
