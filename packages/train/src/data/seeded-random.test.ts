import { describe, expect, it } from "vitest";
import { mixSeed, SeededRandom, shuffledIndices } from "./seeded-random.ts";

describe("seeded shuffles", () => {
  it("same seed, same permutation; different seed, different permutation", () => {
    const a = shuffledIndices(1000, 42);
    expect(shuffledIndices(1000, 42)).toEqual(a);
    expect(shuffledIndices(1000, 43)).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("restores from a saved state exactly", () => {
    const rng = new SeededRandom(7);
    rng.next();
    const saved = rng.state();
    const next = [rng.next(), rng.next(), rng.int(100)];
    const restored = new SeededRandom(saved);
    expect([restored.next(), restored.next(), restored.int(100)]).toEqual(next);
  });

  it("mixes seeds into distinct, stable values and stays in [0, 1)", () => {
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    const rng = new SeededRandom(1);
    for (let i = 0; i < 10_000; i++) {
      const v = rng.next();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});
