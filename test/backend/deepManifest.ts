// A manifest a writer could push to stall a backend that did its work before measuring the input:
// paths as deep as a path may be long (2,048 levels in 4,096 characters), a wrong digest, and
// blobs that were never uploaded. Timed against /healthz, probed over and over meanwhile.

const tailChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `count` distinct paths of 4,096 characters and 2,048 levels each (count ≤ 3,844). */
export function deepPaths(count: number): string[] {
  const prefix = 'a/'.repeat(2047);
  return Array.from({ length: count }, (_, i) => `${prefix}${tailChars[Math.floor(i / tailChars.length)]}${tailChars[i % tailChars.length]}`);
}

export function manifestWithPaths(id: string, paths: readonly string[]): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id,
    name: 'deep paths',
    version: 1,
    parentVersion: null,
    createdAt: new Date().toISOString(),
    kind: 'snapshot',
    requirements: null,
    stack: null,
    digest: '0'.repeat(64),
    files: paths.map((path, i) => ({ path, sha256: i.toString(16).padStart(64, '0'), size: 1, mode: 0o644 })),
    models: [],
    usage: null,
    validation: null,
    receipts: [],
    tools: {},
  };
}

export interface RefusalTiming {
  status: number;
  error: string;
  bodyBytes: number;
  /** From sending the request to its whole answer. */
  refusalMs: number;
  /** /healthz answers while the request was in flight, each timed from its own start. */
  healthzMs: number[];
}

/** PUTs `manifest` as `id`@1 while a second loop asks /healthz again and again. */
export async function timeRefusal(base: string, key: string, id: string, manifest: unknown): Promise<RefusalTiming> {
  const body = Buffer.from(JSON.stringify(manifest));
  const healthzMs: number[] = [];
  let done = false;
  const probe = (async () => {
    while (!done) {
      const started = performance.now();
      const answer = await fetch(`${base}/healthz`);
      await answer.arrayBuffer();
      healthzMs.push(performance.now() - started);
    }
  })();
  const started = performance.now();
  const response = await fetch(`${base}/v1/capsules/${id}/versions/1`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  const refusalMs = performance.now() - started;
  done = true;
  await probe;
  return { status: response.status, error: (JSON.parse(text) as { error: string }).error, bodyBytes: body.byteLength, refusalMs, healthzMs };
}

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
