// Health, Prometheus metrics and the OpenAPI document: no key needed.
import type { BackendContext } from '../context';
import type { RouteDef } from './route';

/** How long /metrics reuses its table counts: scrapes need no key, so they must not cost a count each. */
const gaugesTtlMs = 5_000;

interface Counts {
  capsules: number;
  versions: number;
  blobs: number;
  blob_bytes: number;
  [column: string]: unknown;
}

export function systemRoutes(openApi: () => unknown): RouteDef[] {
  let counts: { at: number; value: Promise<Counts> } | undefined;
  const currentCounts = (ctx: BackendContext): Promise<Counts> => {
    if (!counts || Date.now() - counts.at > gaugesTtlMs) {
      const value = ctx.db
        .query<Counts>(
          'SELECT (SELECT count(*)::int FROM capsules) AS capsules, (SELECT count(*)::int FROM capsule_versions) AS versions, (SELECT count(*)::int FROM blobs) AS blobs, (SELECT coalesce(sum(size), 0)::float8 FROM blobs) AS blob_bytes',
        )
        .then(([row]) => row);
      counts = { at: Date.now(), value };
      value.catch(() => (counts = undefined));
    }
    return counts.value;
  };
  return [
    {
      method: 'GET',
      url: '/healthz',
      summary: 'Whether the backend and its database answer (200, else 503).',
      role: null,
      async handler(_request, reply, ctx) {
        try {
          await ctx.db.query('SELECT 1');
          return { status: 'ok', database: ctx.db.kind };
        } catch {
          return reply.code(503).send({ status: 'unavailable', database: ctx.db.kind, error: 'the database does not answer' });
        }
      },
    },
    {
      method: 'GET',
      url: '/metrics',
      summary: 'Prometheus metrics (text exposition format); the table gauges are at most 5 s old.',
      role: null,
      responseKind: 'text',
      async handler(_request, reply, ctx) {
        const counts = await currentCounts(ctx);
        const text = ctx.metrics.render({
          qlp_capsules: { help: 'Capsules stored.', value: counts.capsules },
          qlp_capsule_versions: { help: 'Capsule versions stored.', value: counts.versions },
          qlp_blobs: { help: 'Distinct blobs stored.', value: counts.blobs },
          qlp_blob_bytes: { help: 'Bytes of distinct blobs stored.', value: Number(counts.blob_bytes) },
        });
        return reply.type('text/plain; version=0.0.4').send(text);
      },
    },
    {
      method: 'GET',
      url: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document.',
      role: null,
      async handler() {
        return openApi();
      },
    },
  ];
}
