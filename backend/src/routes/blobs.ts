// Blobs: which of a list the server lacks, uploading a batch, and fetching blobs back.
import { maxBlobsPerFetch } from '../../../protocol/backendApi';
import { decodeBlobFrames, encodeBlobFrames } from '../../../protocol/blobFrames';
import { callerOf } from '../context';
import { BadRequest, NotFound } from '../errors';
import { audit } from '../repo/audit';
import { fetchBlobs, missingBlobs, storeBlobs } from '../repo/blobs';
import { sha256Schema, type RouteDef } from './route';

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
    summary: 'Which of these blobs the server does not hold yet (upload only those).',
    role: 'writer',
    body: sha256List,
    response: { type: 'object', properties: { missing: { type: 'array', items: sha256Schema } } },
    async handler(request, _reply, ctx) {
      return { missing: await missingBlobs(ctx.db, (request.body as { sha256s: string[] }).sha256s) };
    },
  },
  {
    method: 'POST',
    url: '/v1/blobs',
    summary: "Upload a batch of blobs (application/octet-stream: per blob its 32-byte sha256, a 4-byte big-endian length, its bytes). Each blob's bytes are checked against its sha256.",
    role: 'writer',
    bodyKind: 'binary',
    response: { type: 'object', properties: { stored: { type: 'integer' }, alreadyPresent: { type: 'integer' } } },
    async handler(request, _reply, ctx) {
      if (!Buffer.isBuffer(request.body)) throw new BadRequest('send the blob batch as application/octet-stream');
      let frames;
      try {
        frames = decodeBlobFrames(request.body);
      } catch (err) {
        throw new BadRequest((err as Error).message);
      }
      const caller = callerOf(request);
      const result = await ctx.db.transaction(async (tx) => {
        const stored = await storeBlobs(tx, ctx.blobData, frames);
        if (stored.stored > 0) await audit(tx, caller, 'blobs.upload', null, { stored: stored.stored, bytes: frames.reduce((s, f) => s + f.data.byteLength, 0) });
        return stored;
      });
      ctx.metrics.count('qlp_blobs_stored_total', result.stored);
      return result;
    },
  },
  {
    method: 'POST',
    url: '/v1/blobs/fetch',
    summary: 'Download a batch of blobs, in the upload format; blobs the server lacks are left out.',
    role: 'reader',
    body: { ...sha256List, properties: { sha256s: { type: 'array', maxItems: maxBlobsPerFetch, items: sha256Schema } } },
    responseKind: 'binary',
    async handler(request, reply, ctx) {
      const frames = await fetchBlobs(ctx.db, ctx.blobData, (request.body as { sha256s: string[] }).sha256s);
      return reply.type('application/octet-stream').send(Buffer.from(encodeBlobFrames(frames)));
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
      const [frame] = await fetchBlobs(ctx.db, ctx.blobData, [sha256]);
      if (!frame) throw new NotFound(`the server holds no blob ${sha256}`);
      return reply.type('application/octet-stream').send(Buffer.from(frame.data));
    },
  },
];
