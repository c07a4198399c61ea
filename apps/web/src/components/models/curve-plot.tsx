import { formatNumber, humanize, type Plot } from "./metrics";

const COLORS = ["#2f6f4e", "#d99a2b", "#4f7fb8", "#b4533c", "#7a5aa6", "#3f8f8a", "#8a7d3c", "#c05a8a"];
const WIDTH = 560;
const HEIGHT = 250;
const MARGIN = { left: 58, right: 14, top: 12, bottom: 36 };

/** Round ticks (1, 2, 2.5 or 5 × 10^k apart) covering [min, max]. */
function ticks(min: number, max: number, count: number): number[] {
  if (!(max > min)) {
    const pad = Math.abs(min) * 0.1 || 1;
    return ticks(min - pad, max + pad, count);
  }
  const rough = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude) as number;
  const first = Math.floor(min / step + 1e-9) * step;
  const out: number[] = [];
  for (let value = first; value < max + step - 1e-9 * step; value += step) out.push(Number(value.toPrecision(12)));
  return out;
}

/**
 * One plot of a training curve: a line per series over epochs (inline SVG, like the dataset histogram).
 * Missing epochs leave gaps; with few epochs every point is marked and carries its value as a tooltip.
 */
export function CurvePlot({ plot }: { plot: Plot }) {
  const points = plot.series.flatMap((s) => s.points);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  let xMin = Math.min(...xs);
  let xMax = Math.max(...xs);
  if (xMin === xMax) {
    xMin -= 1;
    xMax += 1;
  }
  const low = Math.min(...ys);
  const yTicks = ticks(plot.zero && low > 0 ? 0 : low, Math.max(...ys), 4);
  const yMin = yTicks[0] as number;
  const yMax = yTicks.at(-1) as number;
  const integerX = xs.every(Number.isInteger);
  const xTicks = ticks(xMin, xMax, 6).filter((t) => t >= xMin && t <= xMax && (!integerX || Number.isInteger(t)));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotWidth;
  const sy = (y: number) => MARGIN.top + (1 - (y - yMin) / (yMax - yMin)) * plotHeight;
  const fmt = (y: number) => (plot.percent ? `${Number((y * 100).toPrecision(3))}%` : formatNumber(y));
  const marked = points.length <= 120;
  // A gap in x (an epoch with no value) breaks the line rather than bridging it.
  const path = (series: Plot["series"][number]) =>
    series.points
      .map((p, i) => {
        const previous = series.points[i - 1];
        const jump = !previous || (integerX && p.x - previous.x > 1);
        return `${jump ? "M" : "L"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
      })
      .join("");

  return (
    <figure className="curve-plot">
      <figcaption>
        <b>{plot.title}</b>
        <span className="legend" aria-hidden="true">
          {plot.series.map((s, i) => (
            <span key={s.key}>
              <i style={{ background: COLORS[i % COLORS.length] }} /> {humanize(s.key)}
            </span>
          ))}
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="chart"
        role="img"
        aria-label={`${plot.title} per ${plot.xLabel}: ${plot.series.map((s) => humanize(s.key)).join(", ")}`}
      >
        {yTicks.map((tick) => (
          <g key={`y${tick}`}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={sy(tick)} y2={sy(tick)} stroke="#e2e6e0" />
            <text x={MARGIN.left - 6} y={sy(tick) + 4} fontSize="11" fill="#637068" textAnchor="end">
              {fmt(tick)}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <g key={`x${tick}`}>
            <line
              x1={sx(tick)}
              x2={sx(tick)}
              y1={HEIGHT - MARGIN.bottom}
              y2={HEIGHT - MARGIN.bottom + 4}
              stroke="#9aa59e"
            />
            <text x={sx(tick)} y={HEIGHT - MARGIN.bottom + 16} fontSize="11" fill="#637068" textAnchor="middle">
              {formatNumber(tick)}
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
          {plot.xLabel}
        </text>
        {plot.series.map((series, i) => {
          const color = COLORS[i % COLORS.length];
          return (
            <g key={series.key}>
              <path d={path(series)} fill="none" stroke={color} strokeWidth="2" strokeLinejoin="round" />
              {(marked || series.points.length === 1) &&
                series.points.map((p, j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: points are positional (an epoch may repeat)
                  <circle key={j} cx={sx(p.x)} cy={sy(p.y)} r="3" fill={color}>
                    <title>{`${humanize(series.key)}, ${plot.xLabel} ${formatNumber(p.x)}: ${fmt(p.y)}`}</title>
                  </circle>
                ))}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
