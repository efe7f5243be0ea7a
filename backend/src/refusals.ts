// Every refusal has one shape, `{"error": "one sentence"}`: ours, fastify's own (a body too large,
// a content type no route takes, malformed JSON, a path part too long, a bad percent-encoding, no
// such route) and Node's (a request line or headers it cannot parse).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { formatBytes } from '../../language-server/src/capsule/limits';
import { sqlState } from './db/database';
import { HttpError } from './errors';

const shortPath = (request: FastifyRequest) => {
  const path = request.url.split('?')[0];
  return path.length > 120 ? `${path.slice(0, 120)}…` : path;
};

/** The status and sentence for fastify's own errors, by code. */
function fastifyRefusal(err: FastifyError, request: FastifyRequest): [number, string] | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return [
        413,
        `the body is larger than the ${formatBytes(request.routeOptions.bodyLimit ?? 0)} ${request.method} ${request.routeOptions.url ?? 'this route'} takes`,
      ];
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return [415, `${request.method} ${shortPath(request)} does not take a body of type ${request.headers['content-type'] ?? '(none)'}`];
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return [400, "the body's length does not match its Content-Length header"];
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return [400, 'the body is empty; send a JSON object'];
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return [400, `the body is not valid JSON (${err.message})`];
    case 'FST_ERR_BAD_URL':
      return [400, 'the URL holds a malformed percent-encoding'];
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return [414, 'a part of the URL is longer than 100 characters, more than any name or id this API uses'];
    default:
      return undefined;
  }
}

export function sendError(reply: FastifyReply, status: number, message: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('application/json; charset=utf-8').send({ error: message });
}

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof HttpError) return sendError(reply, err.statusCode, err.message, err.headers);
  if (err.validation) return sendError(reply, 400, err.message);
  const known = fastifyRefusal(err, request);
  if (known) return sendError(reply, known[0], known[1], known[0] === 413 ? { connection: 'close' } : {});
  if (err instanceof SyntaxError) return sendError(reply, 400, `the body is not valid JSON (${err.message})`);
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) return sendError(reply, err.statusCode, err.message);
  // A value the database cannot hold (a NUL character, an out-of-range number) is bad input.
  if (sqlState(err)?.startsWith('22'))
    return sendError(reply, 400, 'the request holds a value the database cannot store (e.g. a NUL character or an out-of-range number)');
  if (databaseUnreachable(err)) return sendError(reply, 503, 'the database is unreachable; try again shortly', { 'retry-after': '5' });
  process.stderr.write(`qlp backend: ${request.method} ${shortPath(request)} failed: ${err.stack ?? err.message}\n`);
  return sendError(reply, 500, 'the server failed to answer; it logged why');
}

/** A lost or refused database connection, or a database shutting down: the server is down, not the request wrong. */
function databaseUnreachable(err: unknown): boolean {
  const code = sqlState(err) ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE'].includes(code) ||
    code.startsWith('08') ||
    code.startsWith('57P') ||
    /Connection terminated|connection is closed|Client has encountered a connection error/i.test((err as Error)?.message ?? '')
  );
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(reply, 404, `there is no ${request.method} ${shortPath(request)}`);
}

/** fastify's `frameworkErrors`: a URL it cannot route (bad percent-encoding, a path part too long). */
export function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const [status, message] = fastifyRefusal(err, request) ?? [400, 'the request cannot be routed'];
  return sendError(reply, status, message);
}

/** Node's `clientError`: a request it cannot parse gets the same shape, then the connection ends. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'the request took too long to arrive']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'the request headers are too large']
        : [400, 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
