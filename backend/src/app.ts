// The HTTP service: fastify with the routes, API-key auth, per-key rate limits, schema validation
// that answers 400 (never 500) for bad input, metrics and the OpenAPI document. The only file
// that loads fastify.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { roles } from '../../protocol/backendApi';
import type { BackendContext } from './context';
import { sqlState } from './db/database';
import { HttpError } from './errors';
import { openApiDocument } from './openapi';
import { RateLimiter } from './rateLimit';
import { findKey, hashKey } from './repo/keys';
import { adminRoutes } from './routes/admin';
import { blobRoutes } from './routes/blobs';
import { capsuleRoutes } from './routes/capsules';
import type { RouteDef } from './routes/route';
import { systemRoutes } from './routes/system';

const keyCacheMs = 5_000;

export function buildApp(ctx: BackendContext, version: string): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: 16 * 1024 * 1024,
    // Extra properties are refused (400), not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });
  const limiter = new RateLimiter(ctx.config.rateLimitPerMinute);
  const routes: RouteDef[] = [];
  let document: unknown;
  routes.push(...systemRoutes(() => (document ??= openApiDocument(routes, version))), ...capsuleRoutes, ...blobRoutes, ...adminRoutes);

  app.decorateRequest('caller', null);
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: ctx.config.maxBatchBytes }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    const role = (request.routeOptions.config as { role?: RouteDef['role'] } | undefined)?.role ?? null;
    if (role === null) return;
    const header = request.headers.authorization;
    const key = typeof header === 'string' && /^Bearer \S+$/i.test(header) ? header.slice(7) : undefined;
    if (!key) return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'send an API key: Authorization: Bearer <key>' });
    const hash = hashKey(key);
    let cached = ctx.keyCache.get(hash);
    if (!cached || cached.until < Date.now()) {
      const caller = await findKey(ctx.db, key);
      if (!caller) return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'the API key is not valid (unknown or revoked)' });
      if (ctx.keyCache.size > 10_000) ctx.keyCache.clear();
      ctx.keyCache.set(hash, (cached = { caller, until: Date.now() + keyCacheMs }));
    }
    const wait = limiter.take(cached.caller.id);
    if (wait !== null) {
      ctx.metrics.count('qlp_rate_limited_total');
      return reply.code(429).header('Retry-After', String(wait)).send({ error: `too many requests for this key (at most ${limiter.perMinute} a minute); retry in ${wait} s` });
    }
    if (roles.indexOf(cached.caller.role) < roles.indexOf(role)) {
      return reply.code(403).send({ error: `this needs a key with the ${role} role; this key is a ${cached.caller.role}` });
    }
    request.caller = cached.caller;
  });

  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    if (ctx.config.logRequests) process.stderr.write(`${request.method} ${request.url.split('?')[0]} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms ${request.caller?.name ?? '-'}\n`);
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).headers(err.headers).send({ error: err.message });
    if (err.validation) return reply.code(400).send({ error: err.message });
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.message });
    // A value the database cannot hold (a NUL character, an out-of-range number) is bad input.
    const state = sqlState(err);
    if (state?.startsWith('22')) return reply.code(400).send({ error: 'the request holds a value the database cannot store (e.g. a NUL character or an out-of-range number)' });
    process.stderr.write(`qlp backend: ${request.method} ${request.url.split('?')[0]} failed: ${err.stack ?? err.message}\n`);
    return reply.code(500).send({ error: 'the server failed to answer; it logged why' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `there is no ${request.method} ${request.url.split('?')[0]}` }));

  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      config: { role: route.role },
      // Only the parts a route declares (fastify warns about undefined ones).
      schema: Object.fromEntries(Object.entries({ params: route.params, querystring: route.querystring, body: route.bodyKind === 'binary' ? undefined : route.body }).filter(([, v]) => v)),
      handler: (request, reply) => route.handler(request, reply, ctx),
    });
  }
  return app;
}
