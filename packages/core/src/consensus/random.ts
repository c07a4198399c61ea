/** A source of uniform numbers in [0, 1). Algorithms take one so that runs are reproducible. */
export type Rng = () => number;

/** mulberry32: a tiny 32-bit seeded PRNG, plenty for sampling and simulation (not for secrets). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** `k` distinct elements in random order (partial Fisher–Yates on a copy; the input is untouched). */
export function sampleWithoutReplacement<T>(rng: Rng, items: readonly T[], k: number): T[] {
  const pool = [...items];
  const count = Math.min(Math.max(0, k), pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(rng, pool.length - i);
    const picked = pool[j] as T;
    pool[j] = pool[i] as T;
    pool[i] = picked;
  }
  return pool.slice(0, count);
}
