// Before a body is read: is it of the type its route takes (else 415), is it within the route's
// limit by its Content-Length (else 413 at once, nothing read), and is there memory for it (else
// it waits its turn; see memoryBudget.ts). A body sent without a Content-Length is counted at the
// route's limit and cut off there by its parser.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { formatBytes } from '../../language-server/src/capsule/limits';
import type { BackendContext } from './context';
import { HttpError } from './errors';
import type { RouteDef } from './routes/route';

/** Memory a JSON body takes per byte while it is held: its text, then its parsed form. */
const jsonMemoryFactor = 2;

const mediaTypes = { json: 'application/json', binary: 'application/octet-stream' } as const;

export function declaredLength(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/** The share each request holds now, so a new one (its answer's) replaces its body's. */
const shares = new WeakMap<object, () => void>();

/**
 * Holds `bytes` of the memory budget until the answer is sent or the client goes away. A request
 * holds one share at a time: a second call gives the first back before it waits, so a request
 * never waits for memory it holds itself.
 */
export async function holdMemory(ctx: BackendContext, request: FastifyRequest, reply: FastifyReply, bytes: number): Promise<void> {
  shares.get(request.raw)?.();
  let closed = request.raw.destroyed || reply.raw.destroyed;
  const gone = new AbortController();
  reply.raw.once('close', () => {
    closed = true;
    gone.abort();
  });
  if (closed) gone.abort();
  const release = await ctx.memory.reserve(bytes, gone.signal);
  shares.set(request.raw, release);
  if (closed) release();
  else reply.raw.once('close', release);
}

export function bodyIntake(ctx: BackendContext) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: Readable): Promise<Readable> => {
    const length = declaredLength(request);
    const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length > 0);
    if (!hasBody || request.is404 || request.method === 'GET' || request.method === 'HEAD') return payload;
    const kind = (request.routeOptions.config as { bodyKind?: RouteDef['bodyKind'] } | undefined)?.bodyKind;
    const route = `${request.method} ${request.routeOptions.url}`;
    if (!kind) throw new HttpError(415, `${route} takes no body`);
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== mediaTypes[kind]) throw new HttpError(415, `send the body of ${route} as ${mediaTypes[kind]}${type ? `, not ${type}` : ''}`);
    const limit = request.routeOptions.bodyLimit ?? 0;
    if (length !== undefined && length > limit)
      throw new HttpError(413, `the body is ${formatBytes(length)}, over the ${formatBytes(limit)} ${route} takes`, { connection: 'close' });
    await holdMemory(ctx, request, reply, (length ?? limit) * (kind === 'binary' ? ctx.blobData.memoryFactor : jsonMemoryFactor));
    return payload;
  };
}
