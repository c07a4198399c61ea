import { describe, expect, it } from "vitest";
import { confusionAccuracy, dawidSkene } from "./dawid-skene.ts";
import { majorityDecision } from "./majority.ts";
import { mulberry32 } from "./random.ts";
import { syntheticItems } from "./synthetic-crowd.ts";

describe("dawidSkene", () => {
  // Three good annotators among seven spammers: majority vote drowns, EM should not.
  const accuracies = [0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
  const items = syntheticItems(mulberry32(22), { items: 400, positiveRate: 0.5, accuracies, votesPerItem: 7 });
  const result = dawidSkene(items.map((item) => ({ votes: item.votes })));
  const accuracyOf = (id: string) => {
    const confusion = result.annotators.get(id);
    if (!confusion) throw new Error(`no estimate for ${id}`);
    return confusionAccuracy(confusion, 0.5);
  };

  it("converges", () => {
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeLessThan(100);
    expect(result.positiveRate).toBeGreaterThan(0.4);
    expect(result.positiveRate).toBeLessThan(0.6);
  });

  it("recovers good annotators' high accuracy and spammers' ~0.5", () => {
    for (const id of ["a0", "a1", "a2"]) expect(accuracyOf(id)).toBeGreaterThan(0.85);
    for (let i = 3; i < 10; i++) expect(Math.abs(accuracyOf(`a${i}`) - 0.5)).toBeLessThan(0.1);
  });

  it("beats majority vote when spammers are many", () => {
    const correct = (predicted: boolean[]) => predicted.filter((p, i) => p === items[i]?.positive).length;
    const ds = correct(result.posteriors.map((p) => p >= 0.5));
    const majority = correct(items.map((item) => majorityDecision(item.votes, 7) === "verified"));
    expect(ds / items.length).toBeGreaterThan(0.88);
    expect(ds - majority).toBeGreaterThan(0.08 * items.length);
  });

  it("keeps gold labels fixed and learns from them", () => {
    const liar = { annotatorId: "liar", positive: true };
    const gold = Array.from({ length: 20 }, (_, i) => ({
      votes: [{ ...liar, positive: i % 2 === 1 }],
      label: i % 2 === 0,
    }));
    const withGold = dawidSkene([...gold, { votes: [liar] }]);
    expect(withGold.posteriors.slice(0, 20)).toEqual(gold.map((g) => (g.label ? 1 : 0)));
    // The liar always contradicts gold, so their yes on the last item points to "no".
    expect(withGold.posteriors[20]).toBeLessThan(0.5);
    // Gold items are ours, not the synset's: they do not move the positive rate.
    expect(withGold.positiveRate).toBeCloseTo(withGold.posteriors[20] as number, 0);
  });

  it("survives unanimous and empty input without 0/1 probabilities", () => {
    const unanimous = dawidSkene([{ votes: [{ annotatorId: "a", positive: true }] }, { votes: [] }]);
    for (const p of unanimous.posteriors) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
    const confusion = unanimous.annotators.get("a");
    expect(confusion?.sensitivity).toBeLessThan(1);
    expect(dawidSkene([]).posteriors).toEqual([]);
  });
});
