// Reads a blob batch (protocol/blobFrames.ts) from the request as it arrives: each blob is hashed
// while its bytes come in and checked against its name at its last byte, and reading stops at the
// first byte past the limits (a batch of several blobs, or one blob alone up to the largest
// capsule file). The whole body is never buffered twice, and a refusal never waits for the rest.
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobFrame } from '../../protocol/blobFrames';
import { formatBytes } from '../../language-server/src/capsule/limits';
import { BadRequest, HttpError } from './errors';
import { frameHeaderBytes } from './limits';

export interface UploadLimits {
  /** A batch of several blobs. */
  batchBytes: number;
  /** One blob alone (header included). */
  singleBlobBytes: number;
}

export class PayloadTooLarge extends HttpError {
  constructor(message: string) {
    super(413, message, { connection: 'close' });
  }
}

/** The frames of the body, each checked against its sha256; throws one sentence (400 or 413). */
export function readBlobBatch(body: Readable, limits: UploadLimits, contentLength?: number): Promise<BlobFrame[]> {
  const maxBody = Math.max(limits.batchBytes, limits.singleBlobBytes);
  if (contentLength !== undefined && contentLength > maxBody) return Promise.reject(tooLarge(limits));
  return new Promise((resolve, reject) => {
    const parser = new BatchParser(limits, contentLength);
    const finish = (err?: Error) => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      if (!err) return resolve(parser.frames);
      // The rest is read and dropped (not kept), so the answer can still be sent.
      body.resume();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      try {
        parser.push(chunk);
      } catch (err) {
        finish(err as Error);
      }
    };
    const onEnd = () => finish(parser.endProblem());
    const onError = (err: Error) => finish(new BadRequest(`the upload was cut short (${err.message})`));
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.resume();
  });
}

/** The batch's frames as its bytes arrive: headers, then each blob's bytes hashed as they come. */
class BatchParser {
  readonly frames: BlobFrame[] = [];
  private readonly header = Buffer.alloc(frameHeaderBytes);
  private headerFilled = 0;
  private current: { sha256: string; data: Buffer; filled: number; hash: Hash } | undefined;
  private received = 0;
  /** The most bytes this body may have: known once the first frame's header says how big it is. */
  private allowed: number;

  constructor(
    private readonly limits: UploadLimits,
    private readonly contentLength: number | undefined,
  ) {
    this.allowed = limits.batchBytes;
  }

  /** Takes the next bytes of the body; throws at the first byte past a limit or a mismatched blob. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) offset += this.current ? this.blobBytes(chunk, offset) : this.headerBytes(chunk, offset);
  }

  /** Why the body may not end here, if it may not. */
  endProblem(): BadRequest | undefined {
    if (this.current) return new BadRequest(`the blob ${this.current.sha256} claims ${this.current.data.length} bytes but the batch ends first`);
    if (this.headerFilled > 0) return new BadRequest(`the blob batch ends inside a frame header at byte ${this.received - this.headerFilled}`);
    return undefined;
  }

  private headerBytes(chunk: Buffer, offset: number): number {
    if (this.received >= this.allowed) throw pastLimit(this.limits, this.allowed);
    const take = Math.min(frameHeaderBytes - this.headerFilled, chunk.length - offset);
    chunk.copy(this.header, this.headerFilled, offset, offset + take);
    this.headerFilled += take;
    this.received += take;
    if (this.received > this.allowed) throw tooLarge(this.limits);
    if (this.headerFilled === frameHeaderBytes) this.startFrame();
    return take;
  }

  private blobBytes(chunk: Buffer, offset: number): number {
    const current = this.current!;
    const take = Math.min(current.data.length - current.filled, chunk.length - offset);
    const part = chunk.subarray(offset, offset + take);
    part.copy(current.data, current.filled);
    current.hash.update(part);
    current.filled += take;
    this.received += take;
    if (current.filled === current.data.length) this.endFrame();
    return take;
  }

  private startFrame(): void {
    const { limits } = this;
    const sha256 = this.header.toString('hex', 0, 32);
    const size = this.header.readUInt32BE(32);
    if (this.frames.length === 0 && frameHeaderBytes + size > limits.batchBytes) {
      // A blob too big to share a batch travels alone.
      if (frameHeaderBytes + size > limits.singleBlobBytes)
        throw new PayloadTooLarge(`blob ${sha256} is ${formatBytes(size)}, over the ${formatBytes(limits.singleBlobBytes - frameHeaderBytes)} one blob may be`);
      this.allowed = frameHeaderBytes + size;
    } else if (this.received + size > this.allowed) {
      throw pastLimit(limits, this.allowed);
    }
    if (this.contentLength !== undefined && this.received + size > this.contentLength)
      throw new BadRequest(`the blob ${sha256} claims ${size} bytes but the batch ends first`);
    this.current = { sha256, data: Buffer.allocUnsafe(size), filled: 0, hash: createHash('sha256') };
    if (size === 0) this.endFrame();
  }

  private endFrame(): void {
    const frame = this.current!;
    this.current = undefined;
    this.headerFilled = 0;
    const actual = frame.hash.digest('hex');
    if (actual !== frame.sha256) throw new BadRequest(`blob ${frame.sha256} does not match its content (sha256 ${actual})`);
    this.frames.push({ sha256: frame.sha256, data: frame.data });
  }
}

function tooLarge(limits: UploadLimits): PayloadTooLarge {
  return new PayloadTooLarge(
    `a blob batch may carry at most ${formatBytes(limits.batchBytes)} (one blob alone up to ${formatBytes(limits.singleBlobBytes - frameHeaderBytes)})`,
  );
}

/** Past what this body may carry: `allowed` over the batch limit means one big blob came first. */
function pastLimit(limits: UploadLimits, allowed: number): PayloadTooLarge {
  return allowed > limits.batchBytes ? new PayloadTooLarge(`a blob over ${formatBytes(limits.batchBytes)} must travel alone in its request`) : tooLarge(limits);
}
