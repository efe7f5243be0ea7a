// The one small interface the backend's storage code speaks. Two adapters implement it over the
// same SQL: PGlite (embedded, `pglite.ts`) and PostgreSQL through pg (`postgres.ts`).

export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one statement with `$1…` parameters and returns its rows. */
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: hears NOTIFY on `channels` over a connection of its own, reconnecting when it
   * is lost. `onListening(false)` says notifications may have been missed since; `true`, that they
   * arrive again.
   */
  listen?(
    channels: readonly string[],
    onNotification: (channel: string, payload: string) => void,
    onListening: (listening: boolean) => void,
  ): Promise<{ close(): Promise<void> }>;
  close(): Promise<void>;
}

/** The SQLSTATE of a database error, if any (same field in both drivers). */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
