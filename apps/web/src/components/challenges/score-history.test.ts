import type { ScoreHistory } from "@arbor/usecases";
import { describe, expect, it } from "vitest";
import { niceTicks, stepPath, teamSeries, timeTicks } from "./score-history";

const entry = (submissionId: number, teamId: number, submittedAt: string, top5: number, baseline = false) => ({
  submissionId,
  teamId,
  team: `team ${teamId}`,
  submittedAt,
  top5,
  top1: top5 + 0.2,
  baseline,
});

describe("teamSeries", () => {
  it("groups by team in time order, keeping each team's improvements as its best-so-far", () => {
    const history: ScoreHistory = [
      entry(3, 1, "2026-01-01T03:00:00Z", 0.3),
      entry(1, 1, "2026-01-01T01:00:00Z", 0.4),
      entry(2, 2, "2026-01-01T02:00:00Z", 0.5, true),
      entry(4, 1, "2026-01-01T04:00:00Z", 0.35),
      entry(5, 1, "2026-01-01T05:00:00Z", 0.2),
    ];
    const series = teamSeries(history);
    expect(series.map((s) => [s.teamId, s.baseline])).toEqual([
      [1, false],
      [2, true],
    ]);
    const [one] = series;
    expect(one?.points.map((p) => p.submissionId)).toEqual([1, 3, 4, 5]);
    expect(one?.best.map((p) => p.top5)).toEqual([0.4, 0.3, 0.2]);
  });

  it("answers no series for no history", () => {
    expect(teamSeries([])).toEqual([]);
  });
});

describe("stepPath", () => {
  it("steps horizontally to each improvement, then down, and runs on to the end", () => {
    const best = [
      { t: 0, top5: 0.5 },
      { t: 10, top5: 0.25 },
    ];
    expect(
      stepPath(
        best,
        (t) => t,
        (y) => y * 100,
        20,
      ),
    ).toBe("M0.0,50.0H10.0V25.0H20.0");
    expect(
      stepPath(
        best,
        (t) => t,
        (y) => y * 100,
        10,
      ),
    ).toBe("M0.0,50.0H10.0V25.0");
    expect(
      stepPath(
        [],
        (t) => t,
        (y) => y,
        1,
      ),
    ).toBe("");
  });
});

describe("ticks", () => {
  it("covers the range with round steps", () => {
    expect(niceTicks(0.12, 0.48, 4)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(niceTicks(0.3, 0.3, 4).length).toBeGreaterThanOrEqual(2);
    expect(timeTicks(0, 100, 5)).toEqual([0, 25, 50, 75, 100]);
    expect(timeTicks(5, 5, 5)).toEqual([5]);
  });
});
