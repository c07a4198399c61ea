import { describe, expect, it } from "vitest";
import { learningRate, scheduleSchema } from "./schedules.ts";

describe("learning-rate schedules", () => {
  const total = 1000;
  const perEpoch = 100;

  it("one-cycle rises from lr/div to lr over pctStart, then anneals to lr/(div·finalDiv)", () => {
    const s = scheduleSchema.parse({ kind: "onecycle", pctStart: 0.3, divFactor: 10, finalDivFactor: 100 });
    expect(learningRate(s, 1, 0, total, perEpoch)).toBeCloseTo(0.1);
    expect(learningRate(s, 1, 150, total, perEpoch)).toBeCloseTo(0.55);
    expect(learningRate(s, 1, 300, total, perEpoch)).toBeCloseTo(1);
    expect(learningRate(s, 1, total, total, perEpoch)).toBeCloseTo(0.001);
    let prev = Number.POSITIVE_INFINITY;
    for (let t = 300; t <= total; t += 10) {
      const lr = learningRate(s, 1, t, total, perEpoch);
      expect(lr).toBeLessThanOrEqual(prev);
      prev = lr;
    }
  });

  it("cosine warms up linearly, peaks, and ends at lr·finalFraction", () => {
    const s = scheduleSchema.parse({ kind: "cosine", warmupEpochs: 2, finalFraction: 0.01 });
    expect(learningRate(s, 0.4, 0, total, perEpoch)).toBeCloseTo(0.002);
    expect(learningRate(s, 0.4, 99, total, perEpoch)).toBeCloseTo(0.2);
    expect(learningRate(s, 0.4, 200, total, perEpoch)).toBeCloseTo(0.4);
    expect(learningRate(s, 0.4, 600, total, perEpoch)).toBeCloseTo(0.4 * (0.01 + 0.99 * 0.5));
    expect(learningRate(s, 0.4, total, total, perEpoch)).toBeCloseTo(0.004);
  });

  it("constant stays at lr after warmup", () => {
    const s = scheduleSchema.parse({ kind: "constant", warmupEpochs: 1 });
    expect(learningRate(s, 0.1, 49, total, perEpoch)).toBeCloseTo(0.05);
    expect(learningRate(s, 0.1, 500, total, perEpoch)).toBe(0.1);
  });
});
