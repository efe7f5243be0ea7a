// PostgreSQL through a pg connection pool. The only file that imports pg.
import pg from 'pg';
import type { Database, Queryable, Row } from './database';

// bigint (count(*), sums) as numbers: the backend's counts and byte totals stay far below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));
pg.types.setTypeParser(1700, (value: string) => Number(value));

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  const wrap = (q: { query: pg.Pool['query'] }): Queryable => ({
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      return (await q.query<T>(sql, params)).rows;
    },
  });
  return {
    kind: 'postgres',
    query: wrap(pool).query,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client as unknown as { query: pg.Pool['query'] }));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    listen: (channels, onNotification, onListening) => listen(url, channels, onNotification, onListening),
    close: () => pool.end(),
  };
}

/** How long to wait before connecting again after the listening connection was lost. */
const reconnectMs = 500;

async function listen(
  url: string,
  channels: readonly string[],
  onNotification: (channel: string, payload: string) => void,
  onListening: (listening: boolean) => void,
): Promise<{ close(): Promise<void> }> {
  let current: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const lost = (client: pg.Client) => {
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (current !== client && current !== undefined) return;
    const wasListening = current === client;
    current = undefined;
    if (wasListening) onListening(false);
    if (!closed && !retry)
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, reconnectMs);
  };
  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    let gone = false;
    const onGone = () => {
      if (gone) return;
      gone = true;
      lost(client);
    };
    client.on('error', onGone);
    client.on('end', onGone);
    client.on('notification', (message) => onNotification(message.channel, message.payload ?? ''));
    try {
      await client.connect();
      for (const channel of channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch {
      return onGone();
    }
    if (closed || gone) return void client.end().catch(() => undefined);
    current = client;
    onListening(true);
  };
  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const client = current;
      current = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
