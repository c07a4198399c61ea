import { describe, expect, it } from "vitest";
import {
  fromSignedBigInt64,
  hammingDistance,
  hashBands,
  NEAR_DUPLICATE_MAX_DISTANCE,
  perceptualHash,
  toSignedBigInt64,
} from "./perceptual-hash.ts";

const SIZE = 32;

function image(pixel: (x: number, y: number) => number): Uint8Array {
  const gray = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) gray[y * SIZE + x] = pixel(x, y);
  return gray;
}

/** Deterministic PRNG (mulberry32) so a failing pair can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomHash(next: () => number): bigint {
  const word = () => BigInt(Math.floor(next() * 2 ** 32));
  return (word() << 32n) | word();
}

describe("perceptualHash", () => {
  it("of a constant image sets only the DC bit (no AC energy, nothing above the zero median)", () => {
    expect(perceptualHash(image(() => 128))).toBe(1n);
    expect(perceptualHash(image(() => 0))).toBe(0n);
  });

  it("tells a gradient from its horizontal flip", () => {
    const gradient = perceptualHash(image((x) => x * 8));
    const flipped = perceptualHash(image((x) => (SIZE - 1 - x) * 8));
    expect(gradient).not.toBe(flipped);
    expect(hammingDistance(gradient, flipped)).toBeGreaterThan(NEAR_DUPLICATE_MAX_DISTANCE);
  });

  it("barely moves under small noise", () => {
    // A smooth random landscape (bilinear upsampling of a coarse random grid), like a photo's coarse
    // structure: energy spread over all the low frequencies, so no coefficient sits on the median by accident.
    const next = random(7);
    const coarse = Array.from({ length: 36 }, () => 40 + next() * 170);
    const base = (x: number, y: number) => {
      const gx = (x / (SIZE - 1)) * 5;
      const gy = (y / (SIZE - 1)) * 5;
      const [x0, y0] = [Math.min(4, Math.floor(gx)), Math.min(4, Math.floor(gy))];
      const [fx, fy] = [gx - x0, gy - y0];
      const at = (cx: number, cy: number) => coarse[cy * 6 + cx] as number;
      const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
      const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
      return top * (1 - fy) + bottom * fy;
    };
    const noisy = image((x, y) => base(x, y) + (next() - 0.5) * 6);
    expect(hammingDistance(perceptualHash(image(base)), perceptualHash(noisy))).toBeLessThanOrEqual(
      NEAR_DUPLICATE_MAX_DISTANCE,
    );
  });

  it("returns an unsigned 64-bit value and accepts other sizes", () => {
    const next = random(1);
    const size = 16;
    const gray = new Uint8ClampedArray(size * size).map(() => next() * 256);
    const hash = perceptualHash(gray, size);
    expect(hash).toBeGreaterThanOrEqual(0n);
    expect(hash).toBeLessThan(1n << 64n);
  });

  it("rejects input of the wrong length", () => {
    expect(() => perceptualHash(new Uint8Array(100))).toThrow(RangeError);
    expect(() => perceptualHash(new Uint8Array(16), 4)).toThrow(RangeError);
  });
});

describe("hammingDistance", () => {
  it("counts differing bits", () => {
    expect(hammingDistance(0n, 0n)).toBe(0);
    expect(hammingDistance(0b1011n, 0b0001n)).toBe(2);
    expect(hammingDistance(0n, (1n << 64n) - 1n)).toBe(64);
    expect(hammingDistance(1n << 63n, 1n)).toBe(2);
    expect(hammingDistance(0xdeadbeefcafebaben, 0xdeadbeefcafebaben)).toBe(0);
  });
});

describe("hashBands", () => {
  it("splits into four 16-bit bands, lowest bits first", () => {
    expect(hashBands(0x0123_4567_89ab_cdefn)).toEqual([0xcdef, 0x89ab, 0x4567, 0x0123]);
    expect(hashBands((1n << 64n) - 1n)).toEqual([65535, 65535, 65535, 65535]);
  });

  it("near-duplicates (distance ≤ 3) always share a band: the pigeonhole guarantee", () => {
    const next = random(42);
    for (let trial = 0; trial < 5000; trial++) {
      const a = randomHash(next);
      let b = a;
      const flips = Math.floor(next() * (NEAR_DUPLICATE_MAX_DISTANCE + 1));
      while (hammingDistance(a, b) < flips) b ^= 1n << BigInt(Math.floor(next() * 64));
      expect(hammingDistance(a, b)).toBeLessThanOrEqual(NEAR_DUPLICATE_MAX_DISTANCE);
      const bandsA = hashBands(a);
      const bandsB = hashBands(b);
      expect(bandsA.some((band, i) => band === bandsB[i])).toBe(true);
    }
  });

  it("can miss at distance 4, which is why the threshold stays at 3", () => {
    const a = 0n;
    const b = 1n | (1n << 16n) | (1n << 32n) | (1n << 48n);
    const bandsB = hashBands(b);
    expect(hashBands(a).some((band, i) => band === bandsB[i])).toBe(false);
  });
});

describe("signed bigint round-trip", () => {
  it("maps to Postgres' signed range and back exactly", () => {
    const top = 1n << 63n;
    const max = (1n << 64n) - 1n;
    expect(toSignedBigInt64(0n)).toBe(0n);
    expect(toSignedBigInt64(top)).toBe(-top);
    expect(toSignedBigInt64(max)).toBe(-1n);
    expect(toSignedBigInt64(top - 1n)).toBe(top - 1n);
    for (const hash of [0n, 1n, top - 1n, top, max, 0xdeadbeefcafebaben]) {
      const signed = toSignedBigInt64(hash);
      expect(signed).toBeGreaterThanOrEqual(-top);
      expect(signed).toBeLessThan(top);
      expect(fromSignedBigInt64(signed)).toBe(hash);
    }
  });

  it("refuses values that are not 64-bit rather than wrapping them", () => {
    expect(() => toSignedBigInt64(-1n)).toThrow(RangeError);
    expect(() => toSignedBigInt64(1n << 64n)).toThrow(RangeError);
    expect(() => fromSignedBigInt64(1n << 63n)).toThrow(RangeError);
  });
});
