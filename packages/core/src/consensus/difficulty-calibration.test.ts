import { describe, expect, it } from "vitest";
import { dawidSkene } from "./dawid-skene.ts";
import { calibrateDawidSkene } from "./difficulty-calibration.ts";
import { mulberry32 } from "./random.ts";
import { type SyntheticItem, syntheticItems } from "./synthetic-crowd.ts";

const accuracies = Array.from({ length: 12 }, (_, i) => (i < 8 ? 0.92 : 0.75));
const logLoss = (items: SyntheticItem[], p: number[]) =>
  p.reduce((s, q, i) => s - Math.log(Math.max(1e-12, items[i]?.positive ? q : 1 - q)), 0) / p.length;

describe("calibrateDawidSkene", () => {
  it("tempers Dawid–Skene where hard images make errors coincide", () => {
    const items = syntheticItems(mulberry32(21), {
      items: 3000,
      positiveRate: 0.5,
      accuracies,
      votesPerItem: 3,
      maxDifficulty: 0.9,
    });
    const input = items.map((item) => ({ votes: item.votes }));
    const raw = dawidSkene(input);
    const calibrated = calibrateDawidSkene(input, raw);
    const sure = raw.posteriors.flatMap((p, i) => (p >= 0.99 ? [i] : []));
    const wrong = sure.filter((i) => !items[i]?.positive).length;
    expect(wrong / sure.length).toBeGreaterThan(0.01); // raw DS promised ≥ 99% and missed
    for (const i of sure) expect(calibrated.posteriors[i]).toBeLessThan(raw.posteriors[i] as number);
    expect(logLoss(items, calibrated.posteriors)).toBeLessThan(logLoss(items, raw.posteriors));
    expect(calibrated.scaleWeights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 9);
  });

  it("changes little when every image is equally hard", () => {
    const items = syntheticItems(mulberry32(21), { items: 3000, positiveRate: 0.5, accuracies, votesPerItem: 3 });
    const input = items.map((item) => ({ votes: item.votes }));
    const raw = dawidSkene(input);
    const calibrated = calibrateDawidSkene(input, raw);
    const diff = raw.posteriors.map((p, i) => Math.abs(p - (calibrated.posteriors[i] as number)));
    expect(Math.max(...diff)).toBeLessThan(0.1);
    expect(logLoss(items, calibrated.posteriors)).toBeLessThan(logLoss(items, raw.posteriors) + 0.01);
  });

  it("keeps gold labels", () => {
    const input = [
      { votes: [{ annotatorId: "a", positive: false }], label: true },
      { votes: [{ annotatorId: "a", positive: true }] },
    ];
    expect(calibrateDawidSkene(input, dawidSkene(input)).posteriors[0]).toBe(1);
  });
});
