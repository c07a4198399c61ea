import { describe, expect, it } from "vitest";
import { mulberry32 } from "./random.ts";
import { syntheticItems } from "./synthetic-crowd.ts";
import { type CellCount, fitVoteMixture, mixturePosterior } from "./vote-mixture.ts";

function cellsOf(items: { positive: boolean; votes: { positive: boolean }[] }[], labelled = 0): CellCount[] {
  const cells = new Map<string, CellCount>();
  items.forEach((item, i) => {
    const y = item.votes.filter((v) => v.positive).length;
    const n = item.votes.length - y;
    const label = i < labelled ? item.positive : undefined;
    const key = `${y},${n},${label}`;
    const cell = cells.get(key) ?? (label === undefined ? { y, n, count: 0 } : { y, n, count: 0, label });
    cell.count++;
    cells.set(key, cell);
  });
  return [...cells.values()];
}

describe("fitVoteMixture", () => {
  const accuracies = Array.from({ length: 20 }, () => 0.85);

  it("recovers the positive rate from unlabelled votes", () => {
    for (const rate of [0.3, 0.7, 0.9]) {
      const items = syntheticItems(mulberry32(11), { items: 2000, positiveRate: rate, accuracies, votesPerItem: 4 });
      const truth = items.filter((i) => i.positive).length / items.length;
      expect(fitVoteMixture(cellsOf(items, 30)).positiveRate).toBeCloseTo(truth, 1);
    }
  });

  it("matches the exact posterior when every image is equally hard", () => {
    const items = syntheticItems(mulberry32(12), { items: 3000, positiveRate: 0.5, accuracies, votesPerItem: 5 });
    const mixture = fitVoteMixture(cellsOf(items, 30));
    const exact = (y: number, n: number) => 1 / (1 + (0.15 / 0.85) ** (y - n));
    for (const [y, n] of [
      [2, 0],
      [3, 1],
      [0, 3],
    ] as const) {
      expect(Math.abs(mixturePosterior(mixture, y, n) - exact(y, n))).toBeLessThan(0.02);
    }
  });

  it("is symmetric: a yes and a no cancel out to the prior", () => {
    const mixture = { positiveRate: 0.3, levels: [0.6, 0.9], weights: [0.5, 0.5] };
    expect(mixturePosterior(mixture, 2, 2)).toBeCloseTo(0.3, 12);
    expect(mixturePosterior(mixture, 3, 1)).toBeGreaterThan(0.3);
  });
});
