// One API route, declared once: fastify registers it with its schemas, the auth hook reads its
// role, and the OpenAPI document is written from the same declarations.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../../protocol/backendApi';
import { capsuleIdPattern } from '../../../protocol/capsuleNames';
import type { BackendContext } from '../context';

export type JsonSchema = Record<string, unknown>;

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  /** The least role that may call it; null: no key needed. */
  role: Role | null;
  params?: JsonSchema;
  querystring?: JsonSchema;
  body?: JsonSchema;
  /** `binary`: an application/octet-stream body (blob batches); `json` when it has a `body` schema. */
  bodyKind?: 'json' | 'binary';
  /** Bytes its body may have (see limits.ts); the small default when it takes none. */
  bodyLimit?: number;
  /** What a 2xx answer holds, for the OpenAPI document. */
  response?: JsonSchema;
  responseKind?: 'json' | 'binary' | 'text';
  handler(request: FastifyRequest, reply: FastifyReply, ctx: BackendContext): Promise<unknown>;
}

export const sha256Schema = { type: 'string', pattern: '^[0-9a-f]{64}$' };
export const capsuleIdSchema = { type: 'string', pattern: capsuleIdPattern.source, maxLength: 80 };
export const versionSchema = { type: 'integer', minimum: 1, maximum: 2147483647 };
