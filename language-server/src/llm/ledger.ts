// The cost ledger: one JSON line per model call, appended (a crash loses at most the line being
// written, which is skipped on read), shared by the editor and the command line.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LedgerEntry, SpendTotals, Tier, UsageSummary } from '../../../protocol/llm';
import type { ProviderId } from '../../../protocol/machine';

export const emptyTotals = (): SpendTotals => ({ costUsd: 0, calls: 0, inputTokens: 0, outputTokens: 0 });

function add(totals: SpendTotals, entry: LedgerEntry): void {
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

export class Ledger {
  private cache: LedgerEntry[] | undefined;
  /** Lines that could not be read (a torn last line after a crash, or hand edits). */
  skippedLines = 0;

  constructor(readonly file: string) {}

  async entries(): Promise<LedgerEntry[]> {
    if (this.cache) return this.cache;
    let text = '';
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const entries: LedgerEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as LedgerEntry;
        if (typeof entry.at === 'string' && typeof entry.costUsd === 'number') entries.push(entry);
        else this.skippedLines++;
      } catch {
        this.skippedLines++;
      }
    }
    this.cache = entries;
    return entries;
  }

  async append(entry: LedgerEntry): Promise<void> {
    const entries = await this.entries();
    await mkdir(dirname(this.file), { recursive: true });
    // Start on a fresh line even if a crash left a torn one.
    await appendFile(this.file, `\n${JSON.stringify(entry)}`);
    entries.push(entry);
  }

  async spentOn(day: string): Promise<number> {
    return (await this.entries()).filter((e) => localDay(e.at) === day).reduce((sum, e) => sum + e.costUsd, 0);
  }

  async spentFor(key: { generationId?: string; capsuleId?: string }): Promise<SpendTotals> {
    const totals = emptyTotals();
    for (const e of await this.entries()) {
      if ((key.generationId && e.generationId === key.generationId) || (key.capsuleId && e.capsuleId === key.capsuleId)) add(totals, e);
    }
    return totals;
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
}
