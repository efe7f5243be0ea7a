// The model layer as the language server hosts it: settings pulled from the editor on each use,
// keys asked of the extension when a call needs them (environment as fallback), one ledger for
// the process, usage and budget news pushed to whoever listens.
import type { ModelProbeParams, ModelProbeResult } from '../../../protocol/lsp';
import type { LedgerEntry, UsageSummary } from '../../../protocol/llm';
import type { ProviderId, ProviderProbe } from '../../../protocol/machine';
import { nearDailyBudget } from './budget';
import { Ledger, localDay } from './ledger';
import { setUpModels, ledgerFile, type ModelSetup } from './modelSetup';
import { modelSettingsFromEditor, modelSettingsFromEnvironment, type ModelSettings } from './modelSettings';
import type { KeyLookup } from './providerConfig';
import { probeModels } from './probe';

export interface ModelHostDeps {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** The editor's `qlp` settings section (undefined when the client has none). */
  editorSettings(): Promise<Record<string, unknown> | undefined>;
  /** The key in the editor's SecretStorage, if any. */
  editorKey(provider: ProviderId): Promise<string | undefined>;
  onUsageChanged(summary: UsageSummary): void;
  onBudgetWarning(message: string): void;
}

export class ModelHost {
  readonly ledger: Ledger;
  private warnedDay: string | undefined;

  constructor(private readonly deps: ModelHostDeps) {
    this.ledger = new Ledger(ledgerFile(deps.dataDir));
  }

  /** Current settings and keys: editor first, the environment as fallback; `perGenerationUsd` overrides the budget. */
  async setup(overrides: { perGenerationUsd?: number } = {}): Promise<ModelSetup & { settings: ModelSettings }> {
    const editor = await this.deps.editorSettings().catch(() => undefined);
    const fromEnv = modelSettingsFromEnvironment(this.deps.env);
    const settings = editor ? modelSettingsFromEditor(editor) : fromEnv.settings;
    if (overrides.perGenerationUsd !== undefined) settings.budgets = { ...settings.budgets, perGenerationUsd: overrides.perGenerationUsd };
    const keyOf: KeyLookup = async (id) => {
      const key = await this.deps.editorKey(id).catch(() => undefined);
      return key ? { key, source: 'SecretStorage' } : fromEnv.keyOf(id);
    };
    const setup = await setUpModels(settings, keyOf, this.ledger, { onRecorded: (entry) => void this.recorded(entry, settings) });
    return { ...setup, settings };
  }

  async providerProbes(): Promise<ProviderProbe[]> {
    return (await this.setup()).probes;
  }

  async summary(settings?: ModelSettings): Promise<UsageSummary> {
    const budgets = (settings ?? (await this.setup()).settings).budgets;
    return this.ledger.summary(new Date(), budgets);
  }

  /** Sends a tiny prompt through the router and the tier's providers: checks keys and endpoints. */
  async probe(params: ModelProbeParams, signal: AbortSignal): Promise<ModelProbeResult> {
    return probeModels(await this.setup(), this.ledger, params.tier, signal);
  }

  private async recorded(entry: LedgerEntry, settings: ModelSettings): Promise<void> {
    const summary = await this.summary(settings);
    this.deps.onUsageChanged(summary);
    const day = localDay(entry.at);
    if (this.warnedDay !== day && nearDailyBudget(settings.budgets, summary.todayTotals.costUsd)) {
      this.warnedDay = day;
      this.deps.onBudgetWarning(
        `QLP has spent $${summary.todayTotals.costUsd.toFixed(2)} of today's $${settings.budgets.perDayUsd.toFixed(2)} model budget (qlp.budget.perDayUsd).`,
      );
    }
  }
}
