// The cost ledger: one JSON line per model call, appended, shared by the editor and the command
// line. Every process reads what the others append (incrementally, see jsonLinesTail.ts), so a
// budget check counts all spending, and calls in flight in this process hold their worst case.
import { appendFile, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LedgerEntry, SpendTotals, Tier, UsageSummary } from '../../../protocol/llm';
import type { ProviderId } from '../../../protocol/machine';
import { JsonLinesTail } from './jsonLinesTail';
import { watchForChanges } from './fileWatch';
import { SpendHolds } from './spendHolds';

export const emptyTotals = (): SpendTotals => ({ costUsd: 0, calls: 0, failures: 0, inputTokens: 0, outputTokens: 0 });

function add(totals: SpendTotals, entry: LedgerEntry): void {
  if (!entry.billable) {
    totals.failures += 1;
    return;
  }
  totals.costUsd += entry.costUsd;
  totals.calls += 1;
  totals.inputTokens += entry.inputTokens;
  totals.outputTokens += entry.outputTokens;
}

/** The local calendar day of a time, YYYY-MM-DD. */
export function localDay(time: Date | string | number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** One ledger line as an entry, or undefined when it is not one. Older lines are brought up to date. */
export function parseLedgerLine(line: string): LedgerEntry | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!raw || typeof raw.at !== 'string' || typeof raw.costUsd !== 'number' || typeof raw.inputTokens !== 'number' || typeof raw.outputTokens !== 'number')
    return undefined;
  // Older versions wrote `error` for every failure, at no tokens when nothing came back.
  const outcome = raw.outcome === 'error' ? 'failed' : raw.outcome;
  const billable = typeof raw.billable === 'boolean' ? raw.billable : outcome === 'ok' || raw.inputTokens + raw.outputTokens > 0 || raw.costUsd > 0;
  return { ...(raw as unknown as LedgerEntry), outcome: outcome as LedgerEntry['outcome'], billable };
}

export class Ledger {
  /** Worst cases of the calls this process has in flight. */
  readonly holds = new SpendHolds();
  /** Lines that could not be read (a torn line after a crash, or hand edits). */
  skippedLines = 0;
  private readonly tail: JsonLinesTail;
  private list: LedgerEntry[] = [];
  private costByDay = new Map<string, number>();
  private totalsByGeneration = new Map<string, SpendTotals>();
  private readonly listeners = new Set<() => void>();
  private running: Promise<unknown> = Promise.resolve();
  private next: Promise<boolean> | undefined;

  constructor(readonly file: string) {
    this.tail = new JsonLinesTail(file);
  }

  /**
   * Reads what was appended since the last read (by any process); true when anything changed.
   * One read at a time; callers arriving while one runs share the next.
   */
  refresh(): Promise<boolean> {
    this.next ??= this.running.then(() => {
      this.next = undefined;
      return this.readAppended();
    });
    this.running = this.next.catch(() => undefined);
    return this.next;
  }

  async entries(): Promise<readonly LedgerEntry[]> {
    await this.refresh();
    return this.list;
  }

  async append(entry: LedgerEntry): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    // Start on a fresh line if a crash left a torn one.
    const prefix = (await endsMidLine(this.file)) ? '\n' : '';
    await appendFile(this.file, `${prefix}${JSON.stringify(entry)}\n`);
    await this.refresh();
  }

  async spentOn(day: string): Promise<number> {
    await this.refresh();
    return this.costByDay.get(day) ?? 0;
  }

  async spentFor(key: { generationId?: string; capsuleId?: string }): Promise<SpendTotals> {
    await this.refresh();
    if (key.generationId && !key.capsuleId) return this.generationTotals(key.generationId);
    const totals = emptyTotals();
    for (const e of this.list) {
      if ((key.generationId && e.generationId === key.generationId) || (key.capsuleId && e.capsuleId === key.capsuleId)) add(totals, e);
    }
    return totals;
  }

  /** Spent today, as of the last refresh. */
  spentOnNow(day: string): number {
    return this.costByDay.get(day) ?? 0;
  }

  /** A generation's totals, as of the last refresh (its own calls are read back before they return). */
  generationTotals(generationId: string): SpendTotals {
    return { ...(this.totalsByGeneration.get(generationId) ?? emptyTotals()) };
  }

  /** Called after a refresh that changed what the ledger holds; returns the unsubscribe. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-reads the file whenever it changes (a watcher, and a poll behind it); returns the stop. */
  watch(pollMs?: number): () => void {
    return watchForChanges(this.file, () => void this.refresh().catch(() => undefined), pollMs);
  }

  async summary(now: Date, budgets: UsageSummary['budgets'], days = 14): Promise<UsageSummary> {
    const entries = await this.entries();
    const today = localDay(now);
    const dayList = Array.from({ length: days }, (_, i) => localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1 - i))));
    const byDay = new Map(dayList.map((day) => [day, emptyTotals()]));
    const byTier: Partial<Record<Tier, SpendTotals>> = {};
    const byProvider: Partial<Record<ProviderId, SpendTotals>> = {};
    let last: UsageSummary['last'];
    for (const e of entries) {
      const day = byDay.get(localDay(e.at));
      if (day) add(day, e);
      add((byTier[e.tier] ??= emptyTotals()), e);
      add((byProvider[e.provider] ??= emptyTotals()), e);
      if (e.outcome === 'ok' && (!last || e.at >= last.at)) last = { provider: e.provider, model: e.model, tier: e.tier, at: e.at };
    }
    return {
      today,
      todayTotals: byDay.get(today) ?? emptyTotals(),
      byDay: dayList.map((day) => ({ day, ...byDay.get(day)! })),
      byTier,
      byProvider,
      ...(last ? { last } : {}),
      budgets,
    };
  }

  private async readAppended(): Promise<boolean> {
    const { reset, lines } = await this.tail.read();
    if (reset) {
      this.list = [];
      this.costByDay = new Map();
      this.totalsByGeneration = new Map();
      this.skippedLines = 0;
    }
    for (const line of lines) {
      const entry = parseLedgerLine(line);
      if (!entry) {
        this.skippedLines++;
        continue;
      }
      this.list.push(entry);
      const day = localDay(entry.at);
      this.costByDay.set(day, (this.costByDay.get(day) ?? 0) + entry.costUsd);
      if (entry.generationId) {
        let totals = this.totalsByGeneration.get(entry.generationId);
        if (!totals) this.totalsByGeneration.set(entry.generationId, (totals = emptyTotals()));
        add(totals, entry);
      }
    }
    const changed = reset || lines.length > 0;
    if (changed) for (const listener of this.listeners) listener();
    return changed;
  }
}

/** True when the file's last byte is not a newline (a line torn by a crash). */
async function endsMidLine(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (!size) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}
