import { describe, expect, it } from "vitest";
import { mulberry32, randomInt, sampleWithoutReplacement } from "./random.ts";

describe("mulberry32", () => {
  it("is reproducible from its seed and differs between seeds", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
  });

  it("stays in [0, 1) and looks uniform", () => {
    const rng = mulberry32(7);
    const draws = Array.from({ length: 20_000 }, () => rng());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(0.5, 1);
    const buckets = new Array<number>(10).fill(0);
    for (const x of draws) buckets[Math.floor(x * 10)] = (buckets[Math.floor(x * 10)] as number) + 1;
    for (const count of buckets) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });
});

describe("sampling", () => {
  it("randomInt covers [0, n)", () => {
    const rng = mulberry32(1);
    const seen = new Set(Array.from({ length: 200 }, () => randomInt(rng, 5)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("sampleWithoutReplacement draws distinct items and leaves the input alone", () => {
    const rng = mulberry32(3);
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const sample = sampleWithoutReplacement(rng, items, 5);
    expect(new Set(sample).size).toBe(5);
    for (const x of sample) expect(items).toContain(x);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(sampleWithoutReplacement(rng, items, 20).sort()).toEqual(items);
    expect(sampleWithoutReplacement(rng, items, 0)).toEqual([]);
  });
});
