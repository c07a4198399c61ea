import type { Leaderboard, ScoreHistory } from "@arbor/usecases";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LeaderboardTable } from "./leaderboard-table";
import { ScorePlot } from "./score-plot";

const scores = (top5: number, hier: number | null = null) => ({
  top1: top5 + 0.2,
  top5,
  hier2010: hier,
  hier2011: hier,
});

const board = (entries: Leaderboard["entries"]): Leaderboard => ({
  phaseId: 1,
  board: "final",
  ended: false,
  scope: "public",
  hidden: false,
  revision: 1,
  rescoring: 0,
  note: null,
  entries,
});

const entry = (rank: number | null, team: string, top5: number, hier: number | null = null) => ({
  rank,
  baseline: rank === null,
  teamId: team.length,
  team,
  submissionId: Math.round(top5 * 100),
  submittedAt: "2026-01-02T03:04:05Z",
  scores: scores(top5, hier),
});

describe("LeaderboardTable", () => {
  it("marks a baseline row, which holds no rank, and writes errors as percentages", () => {
    const html = renderToStaticMarkup(
      createElement(LeaderboardTable, {
        board: board([entry(1, "alpha", 0.2), entry(null, "resnet", 0.25), entry(2, "beta", 0.3)]),
        label: "Leaderboard",
      }),
    );
    const rows = html.split("<tr").slice(2); // after the table and its header row
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain(">1</td>");
    expect(rows[1]).toMatch(/^ class="baseline"/);
    expect(rows[1]).toContain('<span class="chip">baseline</span>');
    expect(rows[1]).toContain("(baseline, unranked)");
    expect(rows[2]).toContain(">2</td>");
    expect(html).toContain("20.00%");
    expect(html).toContain("2026-01-02 03:04 UTC");
    expect(html).not.toContain("hierarchical");
  });

  it("adds the hierarchical columns only when a score has them", () => {
    const html = renderToStaticMarkup(
      createElement(LeaderboardTable, { board: board([entry(1, "alpha", 0.2, 0.1)]), label: "Leaderboard" }),
    );
    expect(html).toContain("hierarchical 2010");
    expect(html).toContain("10.00%");
  });

  it("renders nothing for an empty board (the page says why)", () => {
    expect(renderToStaticMarkup(createElement(LeaderboardTable, { board: board([]), label: "x" }))).toBe("");
  });
});

describe("ScorePlot", () => {
  const history: ScoreHistory = [
    {
      submissionId: 1,
      teamId: 1,
      team: "alpha",
      submittedAt: "2026-01-01T00:00:00Z",
      top5: 0.4,
      top1: 0.6,
      baseline: false,
    },
    {
      submissionId: 2,
      teamId: 2,
      team: "resnet",
      submittedAt: "2026-01-02T00:00:00Z",
      top5: 0.3,
      top1: 0.5,
      baseline: true,
    },
    {
      submissionId: 3,
      teamId: 1,
      team: "alpha",
      submittedAt: "2026-01-03T00:00:00Z",
      top5: 0.2,
      top1: 0.5,
      baseline: false,
    },
  ];

  it("draws a point per submission and a best-so-far line per team, the baseline's dashed", () => {
    const html = renderToStaticMarkup(createElement(ScorePlot, { history }));
    expect(html.match(/<circle/g)).toHaveLength(3);
    expect(html.match(/<path/g)).toHaveLength(2);
    expect(html.match(/stroke-dasharray/g)).toHaveLength(1);
    expect(html).toContain("resnet (baseline)");
    expect(html).toContain("3 submissions by 2 teams");
  });

  it("says so when nothing is scored", () => {
    expect(renderToStaticMarkup(createElement(ScorePlot, { history: [] }))).toContain("No scored submissions yet");
  });
});
