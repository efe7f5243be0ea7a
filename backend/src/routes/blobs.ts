// Blobs, as the caller's team sees them: which of a list it lacks, uploading a batch, and
// fetching blobs back (only those the team uploaded).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { maxBlobsPerFetch } from '../../../protocol/backendApi';
import { encodeBlobFrames, type BlobFrame } from '../../../protocol/blobFrames';
import { formatBytes } from '../../../language-server/src/capsule/limits';
import { PayloadTooLarge } from '../blobUpload';
import { holdMemory } from '../bodyIntake';
import { callerOf, type BackendContext } from '../context';
import { NotFound } from '../errors';
import { bodyLimits, frameHeaderBytes } from '../limits';
import { audit } from '../repo/audit';
import { blobSizes, fetchBlobs, missingBlobs, storeBlobs } from '../repo/blobs';
import { actingTeam } from '../teams';
import { sha256Schema, type RouteDef } from './route';

/**
 * Reads the stored blobs among `sha256s` once their answer fits what one answer may carry (as an
 * upload: 64 MB, or one blob alone) and the memory budget has room for it.
 */
async function blobsToSend(ctx: BackendContext, request: FastifyRequest, reply: FastifyReply, sha256s: readonly string[]): Promise<BlobFrame[]> {
  const sizes = await blobSizes(ctx.db, actingTeam(request), sha256s);
  const bytes = [...sizes.values()].reduce((sum, size) => sum + frameHeaderBytes + size, 0);
  if (sizes.size > 1 && bytes > bodyLimits.batch) {
    throw new PayloadTooLarge(
      `these ${sizes.size} blobs are ${formatBytes(bytes)}; ask for at most ${formatBytes(bodyLimits.batch)} at a time (a bigger blob alone)`,
    );
  }
  // The blobs as read, and the answer they are copied into.
  await holdMemory(ctx, request, reply, bytes * (ctx.blobData.memoryFactor + 1));
  return fetchBlobs(ctx.db, ctx.blobData, [...sizes.keys()]);
}

/** The same bytes as a Buffer, without a copy. */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const sha256List = {
  type: 'object',
  required: ['sha256s'],
  additionalProperties: false,
  properties: { sha256s: { type: 'array', maxItems: 100000, items: sha256Schema } },
};

export const blobRoutes: RouteDef[] = [
  {
    method: 'POST',
    url: '/v1/blobs/missing',
    summary: 'Which of these blobs the team has not uploaded yet (upload only those).',
    role: 'writer',
    body: sha256List,
    bodyLimit: bodyLimits.missing,
    response: { type: 'object', properties: { missing: { type: 'array', items: sha256Schema } } },
    async handler(request, _reply, ctx) {
      return { missing: await missingBlobs(ctx.db, actingTeam(request), (request.body as { sha256s: string[] }).sha256s) };
    },
  },
  {
    method: 'POST',
    url: '/v1/blobs',
    summary:
      "Upload a batch of blobs (application/octet-stream: per blob its 32-byte sha256, a 4-byte big-endian length, its bytes; up to 64 MB, or one blob alone up to 100 MB). Each blob's bytes are checked against its sha256 as they arrive.",
    role: 'writer',
    bodyKind: 'binary',
    bodyLimit: bodyLimits.singleBlob,
    response: { type: 'object', properties: { stored: { type: 'integer' }, alreadyPresent: { type: 'integer' } } },
    async handler(request, _reply, ctx) {
      // Checked against their names as they arrived (blobUpload.ts); an empty body is an empty batch.
      const frames = (request.body ?? []) as BlobFrame[];
      const caller = callerOf(request);
      const team = actingTeam(request);
      const result = await ctx.db.transaction(async (tx) => {
        const stored = await storeBlobs(tx, ctx.blobData, team, frames);
        if (stored.stored > 0)
          await audit(tx, team, caller, 'blobs.upload', null, { stored: stored.stored, bytes: frames.reduce((s, f) => s + f.data.byteLength, 0) });
        return stored;
      });
      ctx.metrics.count('qlp_blobs_stored_total', result.stored);
      return result;
    },
  },
  {
    method: 'POST',
    url: '/v1/blobs/fetch',
    summary: "Download a batch of the team's blobs, in the upload format (up to 64 MB, or one blob alone); blobs the team has not uploaded are left out.",
    role: 'reader',
    body: { ...sha256List, properties: { sha256s: { type: 'array', maxItems: maxBlobsPerFetch, items: sha256Schema } } },
    bodyLimit: bodyLimits.fetch,
    responseKind: 'binary',
    async handler(request, reply, ctx) {
      const frames = await blobsToSend(ctx, request, reply, (request.body as { sha256s: string[] }).sha256s);
      return reply.type('application/octet-stream').send(asBuffer(encodeBlobFrames(frames)));
    },
  },
  {
    method: 'GET',
    url: '/v1/blobs/:sha256',
    summary: "One blob's bytes.",
    role: 'reader',
    params: { type: 'object', required: ['sha256'], properties: { sha256: sha256Schema } },
    responseKind: 'binary',
    async handler(request, reply, ctx) {
      const { sha256 } = request.params as { sha256: string };
      const [frame] = await blobsToSend(ctx, request, reply, [sha256]);
      if (!frame) throw new NotFound(`the server holds no blob ${sha256}`);
      return reply.type('application/octet-stream').send(asBuffer(frame.data));
    },
  },
];
