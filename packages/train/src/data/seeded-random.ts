/**
 * A small seedable PRNG (sfc32) whose whole state is four uint32s, so it can be written into a checkpoint
 * and restored exactly. Math.random cannot be seeded, and tfjs' own RNG state is not serialisable.
 */
export type RngState = [number, number, number, number];

export class SeededRandom {
  private s: RngState;

  constructor(seedOrState: number | RngState) {
    if (typeof seedOrState === "number") {
      // Expand one seed into four words with splitmix32, then discard a few outputs (sfc32's recommended warm-up).
      let x = seedOrState >>> 0;
      const next = (): number => {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
        return (z ^ (z >>> 16)) >>> 0;
      };
      this.s = [next(), next(), next(), next()];
      for (let i = 0; i < 12; i++) this.nextUint32();
    } else {
      this.s = [...seedOrState];
    }
  }

  state(): RngState {
    return [...this.s];
  }

  nextUint32(): number {
    let [a, b, c, d] = this.s;
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    this.s = [a >>> 0, b, c, d];
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
}

/** Mixes several integers into one 32-bit seed, e.g. (run seed, epoch, sample position). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}

/** Fisher–Yates shuffle of [0, n), fully determined by the seed. */
export function shuffledIndices(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const rng = new SeededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}
