import type { ScoreHistory } from "@arbor/usecases";
import { formatError, formatUtc } from "./challenge-format";
import { niceTicks, stepPath, teamSeries, timeTicks } from "./score-history";

const COLORS = ["#2f6f4e", "#d99a2b", "#4f7fb8", "#b4533c", "#7a5aa6", "#3f8f8a", "#8a7d3c", "#c05a8a"];
const BASELINE = "#7d8a82";
const WIDTH = 720;
const HEIGHT = 280;
const MARGIN = { left: 58, right: 16, top: 12, bottom: 40 };
/** Teams named in the legend; the rest are drawn but left out of it. */
const LEGEND_TEAMS = 12;

/**
 * Public top-5 error over time (inline SVG, drawn on the server like the other charts): one dot per scored
 * submission, and each team's best-so-far as a step line. Baselines are grey and dashed.
 */
export function ScorePlot({ history }: { history: ScoreHistory }) {
  const teams = teamSeries(history);
  const points = teams.flatMap((s) => s.points);
  if (points.length === 0) return <p className="muted">No scored submissions yet.</p>;
  // Loops, not Math.min(...spread): a long-running phase can have more points than a call takes arguments.
  let tMin = Number.POSITIVE_INFINITY;
  let tMax = Number.NEGATIVE_INFINITY;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    tMin = Math.min(tMin, p.t);
    tMax = Math.max(tMax, p.t);
    low = Math.min(low, p.top5);
    high = Math.max(high, p.top5);
  }
  if (tMax === tMin) {
    tMin -= 3_600_000;
    tMax += 3_600_000;
  }
  const yTicks = niceTicks(Math.max(0, low), high, 4);
  const yMin = yTicks[0] as number;
  const yMax = yTicks.at(-1) as number;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (t: number) => MARGIN.left + ((t - tMin) / (tMax - tMin)) * plotWidth;
  const sy = (y: number) => MARGIN.top + (1 - (y - yMin) / (yMax - yMin)) * plotHeight;
  const colorOf = (i: number, baseline: boolean) => (baseline ? BASELINE : COLORS[i % COLORS.length]);
  const xTicks = timeTicks(tMin, tMax, 5);

  return (
    <figure className="score-plot">
      <figcaption className="legend">
        {teams.slice(0, LEGEND_TEAMS).map((s, i) => (
          <span key={s.teamId}>
            <i style={{ background: colorOf(i, s.baseline) }} aria-hidden="true" /> {s.team}
            {s.baseline && " (baseline)"}
          </span>
        ))}
        {teams.length > LEGEND_TEAMS && <span>… and {teams.length - LEGEND_TEAMS} more</span>}
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="chart"
        role="img"
        aria-label={`Public top-5 error over time: ${points.length} submissions by ${teams.length} teams`}
      >
        {yTicks.map((tick) => (
          <g key={`y${tick}`}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={sy(tick)} y2={sy(tick)} stroke="#e2e6e0" />
            <text x={MARGIN.left - 6} y={sy(tick) + 4} fontSize="11" fill="#637068" textAnchor="end">
              {`${Number((tick * 100).toPrecision(3))}%`}
            </text>
          </g>
        ))}
        {xTicks.map((tick, i) => (
          <g key={`x${tick}`}>
            <line
              x1={sx(tick)}
              x2={sx(tick)}
              y1={HEIGHT - MARGIN.bottom}
              y2={HEIGHT - MARGIN.bottom + 4}
              stroke="#9aa59e"
            />
            <text
              x={sx(tick)}
              y={HEIGHT - MARGIN.bottom + 16}
              fontSize="11"
              fill="#637068"
              textAnchor={i === 0 ? "start" : i === xTicks.length - 1 ? "end" : "middle"}
            >
              {formatUtc(new Date(tick).toISOString()).replace(" UTC", "").slice(5)}
            </text>
          </g>
        ))}
        <line
          x1={MARGIN.left}
          x2={WIDTH - MARGIN.right}
          y1={HEIGHT - MARGIN.bottom}
          y2={HEIGHT - MARGIN.bottom}
          stroke="#9aa59e"
        />
        <text x={MARGIN.left + plotWidth / 2} y={HEIGHT - 4} fontSize="11" fill="#637068" textAnchor="middle">
          submitted (UTC)
        </text>
        {teams.map((s, i) => {
          const color = colorOf(i, s.baseline);
          return (
            <g key={s.teamId}>
              <path
                d={stepPath(s.best, sx, sy, tMax)}
                fill="none"
                stroke={color}
                strokeWidth="2"
                strokeDasharray={s.baseline ? "5 4" : undefined}
              />
              {s.points.map((p) => (
                <circle key={p.submissionId} cx={sx(p.t)} cy={sy(p.top5)} r="3" fill={color}>
                  <title>{`${s.team}: ${formatError(p.top5)} top-5 error, ${formatUtc(new Date(p.t).toISOString())}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
