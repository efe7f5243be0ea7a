/** mulberry32: a small seeded generator of numbers in [0, 1), the same sequence on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` unit vectors of `dimensions` components drawn from `seeded(seed)`. */
export function unitVectors(count: number, dimensions: number, seed: number): Float32Array[] {
  const next = seeded(seed);
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: dimensions }, () => next() * 2 - 1);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}
