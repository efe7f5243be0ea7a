// Answers of GET /v1/capsules, kept per team until that team's capsules change. With several
// instances on one PostgreSQL database, each push notifies every instance (LISTEN/NOTIFY, see
// changes.ts), which drops the team's answers; while an instance is not listening (starting, or
// its listening connection lost) it keeps nothing, so it never serves a list older than a push
// it may have missed.
//
// An answer computed while a change arrived is not kept: every change moves the generation on,
// and an answer is kept only if the generation is still the one its query started under.

/** Answers kept at once, over all teams. */
const maxAnswers = 1000;

export class ListCache {
  private readonly answers = new Map<string, Map<string, Buffer>>();
  private size = 0;
  private generation = 0;

  constructor(private live: boolean) {}

  get(team: string, query: string): Buffer | undefined {
    return this.answers.get(team)?.get(query);
  }

  /** Call before the query whose answer may be kept. */
  mark(): number {
    return this.generation;
  }

  set(team: string, query: string, body: Buffer, mark: number): void {
    if (!this.live || mark !== this.generation || this.size >= maxAnswers) return;
    let byQuery = this.answers.get(team);
    if (!byQuery) this.answers.set(team, (byQuery = new Map()));
    if (!byQuery.has(query)) this.size++;
    byQuery.set(query, body);
  }

  /** The team's capsules changed (here, or on another instance). */
  invalidate(team: string): void {
    this.generation++;
    this.size -= this.answers.get(team)?.size ?? 0;
    this.answers.delete(team);
  }

  /** Whether changes reach this instance; while they may not, nothing is kept. */
  setLive(live: boolean): void {
    this.generation++;
    this.live = live;
    this.answers.clear();
    this.size = 0;
  }
}
