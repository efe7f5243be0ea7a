// The body of a batch of blobs on the wire (push and pull alike): for each blob, its sha256 as
// 32 raw bytes, its length as a 4-byte big-endian unsigned integer, then its bytes. One request
// carries many files, so a 200-file push is a handful of requests, not 200.

export interface BlobFrame {
  sha256: string;
  data: Uint8Array;
}

const headerBytes = 36;

export function encodeBlobFrames(frames: readonly BlobFrame[]): Uint8Array {
  const total = frames.reduce((sum, f) => sum + headerBytes + f.data.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const frame of frames) {
    if (!/^[0-9a-f]{64}$/.test(frame.sha256)) throw new Error(`'${frame.sha256}' is not a sha256 hex digest.`);
    for (let i = 0; i < 32; i++) out[at + i] = parseInt(frame.sha256.slice(2 * i, 2 * i + 2), 16);
    view.setUint32(at + 32, frame.data.byteLength);
    out.set(frame.data, at + headerBytes);
    at += headerBytes + frame.data.byteLength;
  }
  return out;
}

/** The frames of `body`; throws one sentence when the body is not a whole number of frames. */
export function decodeBlobFrames(body: Uint8Array): BlobFrame[] {
  const frames: BlobFrame[] = [];
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  while (at < body.byteLength) {
    if (body.byteLength - at < headerBytes) throw new Error(`the blob batch ends inside a frame header at byte ${at}`);
    let sha256 = '';
    for (let i = 0; i < 32; i++) sha256 += body[at + i].toString(16).padStart(2, '0');
    const size = view.getUint32(at + 32);
    const start = at + headerBytes;
    if (start + size > body.byteLength) throw new Error(`the blob ${sha256} claims ${size} bytes but the batch ends first`);
    frames.push({ sha256, data: body.subarray(start, start + size) });
    at = start + size;
  }
  return frames;
}
