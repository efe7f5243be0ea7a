// Who is calling a /v1 route: the bearer key, its role and team, and its rate limit (shared by
// every instance on PostgreSQL, see sharedRateLimit.ts). A key is looked up in the database at
// most every few seconds; any request that would need a lookup (no key, an unknown, revoked or not
// recently seen one) first spends a token of its client address's bucket, so requests without a
// valid key are limited too, and past the limit cost no key lookup.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { roles } from '../../protocol/backendApi';
import type { BackendContext } from './context';
import { sendError } from './refusals';
import { findKey, hashKey } from './repo/keys';
import type { RouteDef } from './routes/route';

const keyCacheMs = 5_000;
const unauthorized = { 'WWW-Authenticate': 'Bearer' };

export function authenticator(ctx: BackendContext): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  const { keys: perKey, addresses: perAddress } = ctx.rateLimits;
  const tooMany = (reply: FastifyReply, wait: number, message: string) => {
    ctx.metrics.count('qlp_rate_limited_total');
    return sendError(reply, 429, `${message}; retry in ${wait} s`, { 'Retry-After': String(wait) });
  };

  return async (request, reply) => {
    const role = (request.routeOptions.config as { role?: RouteDef['role'] } | undefined)?.role ?? null;
    if (role === null) return;
    const header = request.headers.authorization;
    const key = typeof header === 'string' && /^Bearer \S+$/i.test(header) ? header.slice(7) : undefined;
    const hash = key === undefined ? undefined : hashKey(key);
    let cached = hash === undefined ? undefined : ctx.keyCache.get(hash);
    if (!cached || cached.until < Date.now()) {
      const wait = await perAddress.take(request.ip);
      if (wait !== null) return tooMany(reply, wait, `too many requests without a valid API key from this address (at most ${perAddress.perMinute} a minute)`);
      if (hash === undefined) return sendError(reply, 401, 'send an API key: Authorization: Bearer <key>', unauthorized);
      ctx.metrics.count('qlp_key_lookups_total');
      const caller = await findKey(ctx.db, hash);
      if (!caller) return sendError(reply, 401, 'the API key is not valid (unknown or revoked)', unauthorized);
      if (ctx.keyCache.size > 10_000) ctx.keyCache.clear();
      ctx.keyCache.set(hash, (cached = { caller, until: Date.now() + keyCacheMs }));
    }
    const wait = await perKey.take(cached.caller.id);
    if (wait !== null) return tooMany(reply, wait, `too many requests for this key (at most ${perKey.perMinute} a minute)`);
    if (roles.indexOf(cached.caller.role) < roles.indexOf(role)) {
      return sendError(reply, 403, `this needs a key with the ${role} role; this key is a ${cached.caller.role}`);
    }
    request.caller = cached.caller;
  };
}
