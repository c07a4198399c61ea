import { percent } from "./prelabels-format";
import { type ReliabilityBin, reliabilityPoints } from "./reliability";

const SIZE = 240;
const MARGIN = { left: 44, right: 14, top: 12, bottom: 38 };
const TICKS = [0, 0.25, 0.5, 0.75, 1];

/**
 * The calibration's reliability plot (inline SVG, drawn on the server like the other charts): per bin of
 * calibrated prior, its mean prior (x) against the share of its calibration images people verified (y), the point's
 * area proportional to the bin's images. On the dashed diagonal the prior means what it says.
 */
export function CalibrationPlot({ curve }: { curve: readonly ReliabilityBin[] }) {
  const points = reliabilityPoints(curve, SIZE, { x: MARGIN.left, y: MARGIN.top });
  if (points.length === 0) return <p className="muted">No calibration image with a score to plot.</p>;
  const width = MARGIN.left + SIZE + MARGIN.right;
  const height = MARGIN.top + SIZE + MARGIN.bottom;
  const sx = (v: number) => MARGIN.left + v * SIZE;
  const sy = (v: number) => MARGIN.top + (1 - v) * SIZE;
  const line = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.cx.toFixed(1)},${p.cy.toFixed(1)}`).join(" ");
  const images = points.reduce((n, p) => n + p.bin.count, 0);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="chart calibration-plot"
      role="img"
      aria-label={`Reliability of the calibrated prior: ${points.length} bins over ${images} calibration images`}
    >
      {TICKS.map((tick) => (
        <g key={tick}>
          <line x1={sx(0)} x2={sx(1)} y1={sy(tick)} y2={sy(tick)} stroke="#e2e6e0" />
          <line x1={sx(tick)} x2={sx(tick)} y1={sy(0)} y2={sy(1)} stroke="#eef0ec" />
          <text x={sx(0) - 6} y={sy(tick) + 4} fontSize="10" fill="#637068" textAnchor="end">
            {percent(tick)}
          </text>
          <text x={sx(tick)} y={sy(0) + 14} fontSize="10" fill="#637068" textAnchor="middle">
            {percent(tick)}
          </text>
        </g>
      ))}
      <line x1={sx(0)} y1={sy(0)} x2={sx(1)} y2={sy(1)} stroke="#9aa59e" strokeDasharray="4 4" />
      <text x={sx(0.5)} y={height - 4} fontSize="11" fill="#637068" textAnchor="middle">
        calibrated prior (mean per bin)
      </text>
      <text x={12} y={sy(0.5)} fontSize="11" fill="#637068" textAnchor="middle" transform={`rotate(-90 12 ${sy(0.5)})`}>
        share verified
      </text>
      <path d={line} fill="none" stroke="#2f6f4e" strokeWidth="1.5" />
      {points.map((p) => (
        <circle key={p.bin.lo} cx={p.cx} cy={p.cy} r={p.r} fill="#2f6f4e" fillOpacity="0.55" stroke="#1f4d36">
          <title>
            {`prior ${percent(p.bin.lo)}–${percent(p.bin.hi)}: ${p.bin.count} calibration images, mean prior ` +
              `${percent(p.bin.meanPredicted, 1)}, ${percent(p.bin.observed, 1)} verified`}
          </title>
        </circle>
      ))}
    </svg>
  );
}
