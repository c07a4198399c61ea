import { describe, expect, it } from "vitest";
import { choosePublicImages, DEFAULT_PUBLIC_FRACTION } from "./public-split.ts";

const ids = Array.from({ length: 1000 }, (_, i) => `img-${i}`);
const publicOf = (mask: Uint8Array, list: readonly string[]) => list.filter((_, i) => mask[i] === 1).sort();

describe("choosePublicImages", () => {
  it("picks exactly round(30 %) by default, the same for the same seed whatever the order", () => {
    const mask = choosePublicImages(ids, 7);
    expect(DEFAULT_PUBLIC_FRACTION).toBe(0.3);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(300);
    expect(choosePublicImages(ids, 7)).toEqual(mask);
    const reversed = [...ids].reverse();
    expect(publicOf(choosePublicImages(reversed, 7), reversed)).toEqual(publicOf(mask, ids));
    expect(publicOf(choosePublicImages(ids, "7"), ids)).toEqual(publicOf(mask, ids));
  });

  it("changes with the seed and honours the fraction", () => {
    const a = publicOf(choosePublicImages(ids, 1), ids);
    const b = publicOf(choosePublicImages(ids, 2), ids);
    expect(a).not.toEqual(b);
    const overlap = a.filter((x) => b.includes(x)).length;
    expect(overlap).toBeGreaterThan(40); // about 0.3 × 300 = 90 by chance
    expect(overlap).toBeLessThan(150);
    expect(choosePublicImages(ids, 1, 0.1).reduce((x, y) => x + y, 0)).toBe(100);
    expect(choosePublicImages(ids, 1, 0).every((x) => x === 0)).toBe(true);
    expect(choosePublicImages(ids, 1, 1).every((x) => x === 1)).toBe(true);
    expect(choosePublicImages(["a", "b", "c"], 1, 0.5).reduce((x, y) => x + y, 0)).toBe(2);
    expect(() => choosePublicImages(ids, 1, 1.5)).toThrow(/\[0, 1\]/);
    expect(choosePublicImages([], 1)).toHaveLength(0);
  });

  it("keeps most public images public when images are added (a rank does not depend on the others)", () => {
    const more = [...ids, ...Array.from({ length: 100 }, (_, i) => `extra-${i}`)];
    const before = new Set(publicOf(choosePublicImages(ids, 3), ids));
    const after = publicOf(choosePublicImages(more, 3), more).filter((x) => before.has(x));
    expect(after.length).toBeGreaterThan(270);
  });
});
