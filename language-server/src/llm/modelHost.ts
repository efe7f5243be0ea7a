// The model layer as the language server hosts it: settings pulled from the editor on each use,
// keys asked of the extension when a call needs them (environment as fallback), one ledger for
// the process, watched so that spending by any process (the command line too) is pushed as usage
// and budget news to whoever listens.
import type { ModelProbeParams, ModelProbeResult } from '../../../protocol/lsp';
import type { UsageSummary } from '../../../protocol/llm';
import type { ProviderId, ProviderProbe } from '../../../protocol/machine';
import { nearDailyBudget, type Budgets } from './budget';
import { Ledger } from './ledger';
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

/** Ledger changes close together are pushed once. */
const pushDelayMs = 50;

export class ModelHost {
  readonly ledger: Ledger;
  private warnedDay: string | undefined;
  private pushTimer: NodeJS.Timeout | undefined;
  private midnightTimer: NodeJS.Timeout | undefined;
  private stopListening = () => {};
  private disposed = false;
  private readonly stopWatching: () => void;

  constructor(private readonly deps: ModelHostDeps) {
    this.ledger = new Ledger(ledgerFile(deps.dataDir));
    // What is in the ledger at start is asked for by the editor; news are pushed from then on:
    // any process's appends (the watch re-reads the file), and a new day's empty total.
    void this.ledger
      .refresh()
      .catch(() => undefined)
      .then(() => {
        if (!this.disposed) this.stopListening = this.ledger.onDidChange(() => this.schedulePush());
      });
    this.stopWatching = this.ledger.watch();
    this.armMidnight();
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
    const setup = await setUpModels(settings, keyOf, this.ledger);
    return { ...setup, settings };
  }

  async providerProbes(): Promise<ProviderProbe[]> {
    return (await this.setup()).probes;
  }

  async summary(settings?: ModelSettings): Promise<UsageSummary> {
    return this.ledger.summary(new Date(), settings?.budgets ?? (await this.budgets()));
  }

  /** Sends a tiny prompt through the router and the tier's providers: checks keys and endpoints. */
  async probe(params: ModelProbeParams, signal: AbortSignal): Promise<ModelProbeResult> {
    return probeModels(await this.setup(), this.ledger, params.tier, signal);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.pushTimer);
    clearTimeout(this.midnightTimer);
    this.stopListening();
    this.stopWatching();
  }

  /** The budgets alone: read without asking for any key. */
  private async budgets(): Promise<Budgets> {
    const editor = await this.deps.editorSettings().catch(() => undefined);
    if (editor) return modelSettingsFromEditor(editor).budgets;
    try {
      return modelSettingsFromEnvironment(this.deps.env).settings.budgets;
    } catch {
      return modelSettingsFromEditor(undefined).budgets;
    }
  }

  private schedulePush(): void {
    this.pushTimer ??= setTimeout(() => {
      this.pushTimer = undefined;
      void this.push().catch(() => undefined);
    }, pushDelayMs);
  }

  private armMidnight(): void {
    const now = new Date();
    const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 1);
    this.midnightTimer = setTimeout(() => {
      this.schedulePush();
      this.armMidnight();
    }, next.getTime() - now.getTime());
    this.midnightTimer.unref();
  }

  private async push(): Promise<void> {
    const budgets = await this.budgets();
    const summary = await this.ledger.summary(new Date(), budgets);
    this.deps.onUsageChanged(summary);
    if (this.warnedDay !== summary.today && nearDailyBudget(budgets, summary.todayTotals.costUsd)) {
      this.warnedDay = summary.today;
      this.deps.onBudgetWarning(
        `QLP has spent $${summary.todayTotals.costUsd.toFixed(2)} of today's $${budgets.perDayUsd.toFixed(2)} model budget (qlp.budget.perDayUsd).`,
      );
    }
  }
}
