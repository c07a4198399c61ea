import type { ScoreHistory } from "@arbor/usecases";

/** One team's line on the score-over-time plot. */
export interface TeamSeries {
  teamId: number;
  team: string;
  baseline: boolean;
  /** Every scored submission, oldest first: x = time (ms), y = top-5 error. */
  points: Array<{ t: number; top5: number; submissionId: number }>;
  /** The team's best top-5 error so far after each submission that improved it (a step line), oldest first. */
  best: Array<{ t: number; top5: number }>;
}

/** The score history grouped by team, each with its best-so-far steps; teams in order of first submission. */
export function teamSeries(history: ScoreHistory): TeamSeries[] {
  const byTeam = new Map<number, TeamSeries>();
  const sorted = [...history].sort(
    (a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt) || a.submissionId - b.submissionId,
  );
  for (const entry of sorted) {
    const t = Date.parse(entry.submittedAt);
    if (!Number.isFinite(t)) continue;
    let series = byTeam.get(entry.teamId);
    if (!series) {
      series = { teamId: entry.teamId, team: entry.team, baseline: entry.baseline, points: [], best: [] };
      byTeam.set(entry.teamId, series);
    }
    series.points.push({ t, top5: entry.top5, submissionId: entry.submissionId });
    const last = series.best.at(-1);
    if (!last || entry.top5 < last.top5) series.best.push({ t, top5: entry.top5 });
  }
  return [...byTeam.values()];
}

/**
 * A step path through best-so-far points (horizontal at the old best until the next improvement, then down),
 * carried on to `xEnd` so a team's standing reads across the whole plot.
 */
export function stepPath(
  best: Array<{ t: number; top5: number }>,
  sx: (t: number) => number,
  sy: (y: number) => number,
  tEnd: number,
): string {
  if (best.length === 0) return "";
  const f = (v: number) => v.toFixed(1);
  const [first, ...rest] = best as [{ t: number; top5: number }, ...Array<{ t: number; top5: number }>];
  let d = `M${f(sx(first.t))},${f(sy(first.top5))}`;
  for (const p of rest) d += `H${f(sx(p.t))}V${f(sy(p.top5))}`;
  const lastT = (best.at(-1) as { t: number }).t;
  if (tEnd > lastT) d += `H${f(sx(tEnd))}`;
  return d;
}

/** Round ticks (1, 2, 2.5 or 5 × 10^k apart) covering [min, max]; at least two. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) {
    const pad = Math.abs(min) * 0.1 || 0.01;
    return niceTicks(Math.max(0, min - pad), max + pad, count);
  }
  const rough = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const first = Math.floor(min / step + 1e-9) * step;
  const out: number[] = [];
  for (let value = first; value < max + step - 1e-9 * step; value += step) out.push(Number(value.toPrecision(12)));
  return out.length >= 2 ? out : [first, first + step];
}

/** `count` evenly spaced instants across [start, end] (the ends included). */
export function timeTicks(start: number, end: number, count: number): number[] {
  if (!(end > start)) return [start];
  return Array.from({ length: count }, (_, i) => start + ((end - start) * i) / (count - 1));
}
