import { describe, expect, it } from "vitest";
import { buildConfidenceTable, type ConfidenceTable, lookup } from "./confidence-table.ts";
import { mulberry32 } from "./random.ts";
import { syntheticItems } from "./synthetic-crowd.ts";
import type { AnnotatorQuality } from "./types.ts";

const accuracies = Array.from({ length: 20 }, () => 0.85);
const seed = syntheticItems(mulberry32(4), { items: 30, positiveRate: 0.5, accuracies, votesPerItem: 10 });

function isMonotone(table: ConfidenceTable): boolean {
  return table.p.every((row, y) => row.every((p, n) => (row[n + 1] ?? -1) <= p && (table.p[y + 1]?.[n] ?? 2) >= p));
}

describe("buildConfidenceTable", () => {
  const table = buildConfidenceTable(seed, { maxVotes: 10, rng: mulberry32(1) });

  it("is monotone and sensible on a synthetic seed", () => {
    expect(isMonotone(table)).toBe(true);
    expect(table.seedImages).toBeGreaterThanOrEqual(28); // 5–5 ties teach nothing and are left out
    expect(table.seedImages).toBeLessThanOrEqual(30);
    expect(table.p.length).toBe(21); // effective votes up to 2 × maxVotes
    expect(lookup(table, 0, 0)).toBeCloseTo(table.positiveRate, 1);
    expect(lookup(table, 5, 0)).toBeGreaterThan(0.99);
    expect(lookup(table, 0, 5)).toBeLessThan(0.01);
    expect(lookup(table, 3, 3)).toBeGreaterThan(0.2);
    expect(lookup(table, 3, 3)).toBeLessThan(0.8);
    expect(lookup(table, 2, 0)).toBeGreaterThan(lookup(table, 1, 0));
  });

  it("is plain, reproducible JSON", () => {
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
    expect(buildConfidenceTable(seed, { maxVotes: 10, rng: mulberry32(1) })).toEqual(table);
  });

  it("interpolates between cells", () => {
    const between = lookup(table, 2.5, 1);
    expect(between).toBeGreaterThan(lookup(table, 2, 1));
    expect(between).toBeLessThan(lookup(table, 3, 1));
  });

  it("ignores blocked annotators' votes", () => {
    const spammer = seed.map((item) => ({ votes: [...item.votes, { annotatorId: "spam", positive: !item.positive }] }));
    const quality = new Map<string, AnnotatorQuality>([["spam", { accuracy: 0.5, blocked: true }]]);
    const withSpam = buildConfidenceTable(spammer, { maxVotes: 10, quality, rng: mulberry32(1) });
    const without = buildConfidenceTable(seed, { maxVotes: 10, quality, rng: mulberry32(1) });
    expect(withSpam).toEqual(without);
  });

  it("takes the positive rate from all images' votes, not just the seed's 30", () => {
    const others = syntheticItems(mulberry32(5), { items: 2000, positiveRate: 0.85, accuracies, votesPerItem: 3 });
    const wide = buildConfidenceTable(seed, {
      maxVotes: 10,
      rng: mulberry32(1),
      otherImages: others.map((item) => item.votes),
    });
    expect(wide.positiveRate).toBeGreaterThan(0.8);
    expect(isMonotone(wide)).toBe(true);
    expect(lookup(wide, 1, 1)).toBeGreaterThan(lookup(table, 1, 1)); // the prior moved up
  });

  it("weighs votes by quality, in units of the average vote", () => {
    const quality = new Map<string, AnnotatorQuality>(
      accuracies.map((_, i) => [`a${i}`, { accuracy: i < 10 ? 0.95 : 0.75 }]),
    );
    const weighted = buildConfidenceTable(seed, { maxVotes: 10, quality, rng: mulberry32(1) });
    expect(weighted.unitWeight).toBeGreaterThan(Math.log(3));
    expect(weighted.unitWeight).toBeLessThan(Math.log(19));
    expect(isMonotone(weighted)).toBe(true);
  });

  it("rejects a table it cannot build", () => {
    expect(() => buildConfidenceTable(seed, { maxVotes: 0, rng: mulberry32(1) })).toThrow(/maxVotes/);
    expect(() => buildConfidenceTable(seed, { maxVotes: 10, size: 5, rng: mulberry32(1) })).toThrow(/size/);
    expect(() => lookup(table, -1, 0)).toThrow(/non-negative/);
  });
});

describe("lookup", () => {
  it("reads a table of any extent, e.g. one stored with p only up to maxVotes", () => {
    const p = Array.from({ length: 11 }, (_, y) => Array.from({ length: 11 - y }, (_, n) => (y + 1) / (y + n + 2)));
    const stored: ConfidenceTable = { maxVotes: 10, p, seedImages: 30, positiveRate: 0.5, unitWeight: 1 };
    expect(lookup(stored, 3, 1)).toBeCloseTo(4 / 6, 12);
    expect(lookup(stored, 18, 2)).toBeCloseTo(lookup(stored, 9, 1), 12); // past the edge: scaled onto it
  });
});
