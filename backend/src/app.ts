// The HTTP service: fastify with the routes, API-key auth and rate limits (auth.ts), body types,
// limits and memory (bodyIntake.ts, blobUpload.ts), schema validation that answers 400 (never
// 500) for bad input, one error shape for every refusal (refusals.ts), metrics and the OpenAPI
// document, and request logs (pino, keys redacted: requestLog.ts). The only file that loads fastify.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { authenticator } from './auth';
import { readBlobBatch } from './blobUpload';
import { bodyIntake, declaredLength } from './bodyIntake';
import type { BackendContext } from './context';
import { integerFields, parseIntegers } from './integers';
import { bodyLimits } from './limits';
import { openApiDocument } from './openapi';
import { loggerOptions, logRequest } from './requestLog';
import { clientErrorHandler, errorHandler, frameworkErrorHandler, notFoundHandler } from './refusals';
import { adminRoutes } from './routes/admin';
import { blobRoutes } from './routes/blobs';
import { capsuleRoutes } from './routes/capsules';
import type { RouteDef } from './routes/route';
import { systemRoutes } from './routes/system';

/** How long a request may take to arrive (a 100 MB blob at 350 KB/s). */
const requestTimeoutMs = 300_000;

export function buildApp(ctx: BackendContext, version: string): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(ctx.config.logRequests),
    // One line per request, written when it is answered (logRequest), not two.
    disableRequestLogging: true,
    trustProxy: ctx.config.trustProxy ?? false,
    bodyLimit: bodyLimits.small,
    requestTimeout: requestTimeoutMs,
    // Bodies are never coerced ({"name": 5} is not the name "5"); path and query integers are
    // turned into numbers only when written canonically (integers.ts). Extra properties are
    // refused (400), not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  const routes: RouteDef[] = [];
  let document: unknown;
  routes.push(...systemRoutes(() => (document ??= openApiDocument(routes, version))), ...capsuleRoutes, ...blobRoutes, ...adminRoutes);

  app.decorateRequest('caller', null);
  // JSON and blob batches only: a text/plain body is a 415, not a string the schema refuses.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/octet-stream', (request: FastifyRequest, payload: IncomingMessage) =>
    readBlobBatch(payload, { batchBytes: bodyLimits.batch, singleBlobBytes: bodyLimits.singleBlob }, declaredLength(request)),
  );

  app.addHook('onRequest', authenticator(ctx));
  app.addHook('preParsing', bodyIntake(ctx));
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    if (ctx.config.logRequests) logRequest(request, reply);
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  for (const route of routes) {
    const integers = { params: integerFields(route.params), querystring: integerFields(route.querystring) };
    app.route({
      method: route.method,
      url: route.url,
      config: { role: route.role, bodyKind: route.bodyKind ?? (route.body ? 'json' : undefined) },
      bodyLimit: route.bodyLimit ?? bodyLimits.small,
      // Only the parts a route declares (fastify warns about undefined ones).
      schema: Object.fromEntries(
        Object.entries({ params: route.params, querystring: route.querystring, body: route.bodyKind === 'binary' ? undefined : route.body }).filter(
          ([, v]) => v,
        ),
      ),
      preValidation: async (request) => {
        parseIntegers('params', request.params as Record<string, unknown>, integers.params);
        parseIntegers('querystring', request.query as Record<string, unknown>, integers.querystring);
      },
      handler: (request, reply) => route.handler(request, reply, ctx),
    });
  }
  return app;
}
