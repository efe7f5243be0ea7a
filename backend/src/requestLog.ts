// Request logs (--log-requests): one JSON line per answered request on stderr, through fastify's
// own logger (pino). The Authorization header is redacted by pino before a line is written, so a
// key never reaches a log; the key's name and team say who called.
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

export function loggerOptions(enabled: boolean): FastifyServerOptions['logger'] {
  if (!enabled) return false;
  return {
    level: 'info',
    stream: process.stderr,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[Redacted]' },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: request.url,
        remoteAddress: request.ip,
        headers: {
          authorization: request.headers.authorization,
          'user-agent': request.headers['user-agent'],
          'x-forwarded-for': request.headers['x-forwarded-for'],
          'x-qlp-team': request.headers['x-qlp-team'],
          'content-length': request.headers['content-length'],
        },
      }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
}

/** The line for one answered request. */
export function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  request.log.info(
    {
      req: request,
      res: reply,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
      keyName: request.caller?.name ?? null,
      team: request.caller?.team ?? null,
    },
    'request answered',
  );
}
