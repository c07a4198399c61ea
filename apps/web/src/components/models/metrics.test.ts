import { describe, expect, it } from "vitest";
import { curvePlots, formatMetric, formatNumber, formatPercent, humanize, isRecord, topError } from "./metrics";

describe("topError", () => {
  it("reads an error reported directly, whatever its spelling", () => {
    expect(topError({ top1_error: 0.25 }, 1)).toBe(0.25);
    expect(topError({ "Top-1 Error": 0.3 }, 1)).toBe(0.3);
    expect(topError({ valTop5Err: 0.08 }, 5)).toBe(0.08);
  });

  it("turns an accuracy into an error, and a percentage into a fraction", () => {
    expect(topError({ valTop1: 0.75 }, 1)).toBe(0.25);
    expect(topError({ top1Acc: 76.5 }, 1)).toBeCloseTo(0.235, 12);
    expect(topError({ top1Acc: 100 }, 1)).toBe(0);
    // Exactly 1 is a fraction (100 %), not 1 %.
    expect(topError({ top1Acc: 1 }, 1)).toBe(0);
  });

  it("prefers a reported error to an accuracy in the same row, and k selects the metric", () => {
    expect(topError({ valTop1: 0.7, top1Error: 0.2 }, 1)).toBe(0.2);
    expect(topError({ top1Acc: 0.7, top5Acc: 0.9 }, 5)).toBeCloseTo(0.1, 12);
  });

  it("skips what is not a finite number", () => {
    expect(topError({ top1Error: Number.NaN, valTop1: "0.3", testTop1: 0.8 }, 1)).toBeCloseTo(0.2, 12);
    expect(topError({ top1Error: Number.POSITIVE_INFINITY }, 1)).toBeNull();
  });

  it("falls back to the last curve row that has the metric", () => {
    const curve = [
      { epoch: 1, valTop1: 0.5 },
      { epoch: 2, valTop1: 0.6 },
      { epoch: 3, trainLoss: 1 },
    ];
    expect(topError({}, 1, curve)).toBeCloseTo(0.4, 12);
    // The metrics win over the curve.
    expect(topError({ valTop1: 0.9 }, 1, curve)).toBeCloseTo(0.1, 12);
  });

  it("is null when nothing says", () => {
    expect(topError({ loss: 1.2 }, 1)).toBeNull();
    expect(topError({ top1Acc: 0.7 }, 5)).toBeNull();
  });
});

describe("isRecord", () => {
  it("is true for plain objects only", () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord({ a: 1 })).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord("a")).toBe(false);
    expect(isRecord(1)).toBe(false);
  });
});

describe("formatPercent", () => {
  it("shows a fraction as a percentage with the digits asked for", () => {
    expect(formatPercent(0.1234)).toBe("12.3%");
    expect(formatPercent(0.5, 0)).toBe("50%");
    expect(formatPercent(0.98765, 2)).toBe("98.77%");
    expect(formatPercent(null)).toBe("—");
  });
});

describe("formatNumber", () => {
  it("keeps three significant digits for everyday values", () => {
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(0.4567)).toBe("0.457");
    expect(formatNumber(1.23456)).toBe("1.23");
    expect(formatNumber(123.456)).toBe("123");
    expect(formatNumber(100)).toBe("100");
  });

  it("groups large values without decimals and writes tiny ones as exponents", () => {
    expect(formatNumber(12345)).toBe("12,345");
    expect(formatNumber(-2500.7)).toBe("-2,501");
    expect(formatNumber(0.00012)).toBe("1.2e−4");
  });
});

describe("humanize", () => {
  it("splits camelCase, snake_case and kebab-case into lower-case words", () => {
    expect(humanize("trainLoss")).toBe("train loss");
    expect(humanize("val_top1")).toBe("val top1");
    expect(humanize("imgPerSec")).toBe("img per sec");
    expect(humanize("Top-1 Error")).toBe("top 1 error");
  });
});

describe("formatMetric", () => {
  it("shows accuracy and error fractions as percentages, other numbers compactly", () => {
    expect(formatMetric("valTop1", 0.7654)).toBe("76.54%");
    expect(formatMetric("top1_error", 0.25)).toBe("25.00%");
    // Outside [0, 1] it is not a fraction.
    expect(formatMetric("valTop1", 76.5)).toBe("76.5");
    expect(formatMetric("trainLoss", 0.12345)).toBe("0.123");
    expect(formatMetric("epochs", 90)).toBe("90");
    expect(formatMetric("lr", Number.POSITIVE_INFINITY)).toBe("Infinity");
  });

  it("shows strings as they are, booleans as yes/no, nothing as a dash, objects as compact JSON", () => {
    expect(formatMetric("architecture", "resnet18")).toBe("resnet18");
    expect(formatMetric("pretrained", true)).toBe("yes");
    expect(formatMetric("pretrained", false)).toBe("no");
    expect(formatMetric("x", null)).toBe("—");
    expect(formatMetric("x", undefined)).toBe("—");
    expect(formatMetric("shape", { a: [1, 2] })).toBe('{"a":[1,2]}');
  });

  it("cuts long JSON at 300 characters, the last an ellipsis", () => {
    const shown = formatMetric("notes", { s: "x".repeat(400) });
    expect(shown).toHaveLength(300);
    expect(shown.startsWith('{"s":"xxx')).toBe(true);
    expect(shown.endsWith("x…")).toBe(true);
  });
});

/** A series from (x, y) pairs. */
const series = (key: string, ...points: Array<[number, number]>) => ({
  key,
  points: points.map(([x, y]) => ({ x, y })),
});

describe("curvePlots", () => {
  it("groups loss, accuracy, learning rate and throughput, sorted by epoch", () => {
    const plots = curvePlots([
      { epoch: 2, trainLoss: 0.9, valLoss: 1.0, valTop1: 0.6, lr: 0.1, note: "warm" },
      { epoch: 1, trainLoss: 1.2, valLoss: 1.3, valTop1: 0.5, lr: 0.1, imgPerSec: 800 },
    ]);
    const plot = (title: string, percent: boolean, zero: boolean, ...members: ReturnType<typeof series>[]) => ({
      title,
      xLabel: "epoch",
      percent,
      zero,
      series: members,
    });
    expect(plots).toEqual([
      plot("Loss", false, false, series("trainLoss", [1, 1.2], [2, 0.9]), series("valLoss", [1, 1.3], [2, 1.0])),
      plot("Accuracy", true, false, series("valTop1", [1, 0.5], [2, 0.6])),
      plot("Learning rate", false, true, series("lr", [1, 0.1], [2, 0.1])),
      plot("Throughput (img/s)", false, true, series("imgPerSec", [1, 800])),
    ]);
  });

  it("names a mix of error and accuracy, uses `step` when there is no epoch, and plots the rest alone", () => {
    const plots = curvePlots([
      { step: 20, top1_error: 0.3, top5Acc: 0.9, gradNorm: 2 },
      { step: 10, top1_error: 0.4 },
    ]);
    expect(plots.map((p) => [p.title, p.xLabel, p.percent, p.zero])).toEqual([
      ["Accuracy and error", "step", true, false],
      ["grad norm", "step", false, false],
    ]);
    expect(plots.map((p) => p.series)).toEqual([
      [series("top1_error", [10, 0.4], [20, 0.3]), series("top5Acc", [20, 0.9])],
      [series("gradNorm", [20, 2])],
    ]);
  });

  it("calls a group of errors Error, and does not show percentages above 1", () => {
    expect(curvePlots([{ epoch: 1, valTop1Error: 0.3 }])[0]?.title).toBe("Error");
    const [accuracy] = curvePlots([{ epoch: 1, valTop1: 55 }]);
    expect(accuracy?.title).toBe("Accuracy");
    expect(accuracy?.percent).toBe(false);
  });

  it("numbers the rows when they have neither epoch nor step, and skips what is not a record", () => {
    expect(curvePlots([{ loss: 3 }, "junk", null, { loss: 2 }])).toEqual([
      { title: "Loss", xLabel: "row", percent: false, zero: false, series: [series("loss", [1, 3], [2, 2])] },
    ]);
    expect(curvePlots(null)).toEqual([]);
    expect(curvePlots({ loss: 1 })).toEqual([]);
  });
});
