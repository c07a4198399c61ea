import { formatCount } from "../format";

export const SPLIT_COLORS = { train: "#2f6f4e", val: "#d99a2b", test: "#4f7fb8" } as const;
const SPLITS = ["train", "val", "test"] as const;

interface ClassCounts {
  index: number;
  wnid: string;
  lemmas: string[];
  train: number;
  val: number;
  test: number;
}

/**
 * Images per class, stacked by split, as horizontal bars (inline SVG: one plot needs no charting library).
 * Classes are sorted by size and only the largest `limit` drawn, so the plot stays readable at 1000 classes;
 * the smallest classes are summarised underneath.
 */
export function ClassHistogram({ classes, limit = 50 }: { classes: ClassCounts[]; limit?: number }) {
  if (classes.length === 0) return <p className="muted">No classes.</p>;
  const total = (c: ClassCounts) => c.train + c.val + c.test;
  const sorted = [...classes].sort((a, b) => total(b) - total(a) || a.index - b.index);
  const shown = sorted.slice(0, limit);
  const { max, ticks } = axis(Math.max(1, ...shown.map(total)));
  const sizes = sorted.map(total).sort((a, b) => a - b);
  const median = sizes[Math.floor((sizes.length - 1) / 2)] ?? 0;

  const width = 1100;
  const labelWidth = 230;
  const countWidth = 60;
  const row = 20;
  const top = 22;
  const plotWidth = width - labelWidth - countWidth;
  const height = top + shown.length * row + 6;
  const label = (c: ClassCounts) => {
    const name = c.lemmas[0] ?? c.wnid;
    return name.length > 30 ? `${name.slice(0, 29)}…` : name;
  };

  return (
    <figure className="histogram" style={{ margin: 0 }}>
      <div className="legend" aria-hidden="true">
        {SPLITS.map((split) => (
          <span key={split}>
            <i style={{ background: SPLIT_COLORS[split] }} /> {split}
          </span>
        ))}
      </div>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="chart"
        role="img"
        aria-label={`Images per class and split${classes.length > limit ? `, the ${limit} largest classes` : ""}`}
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              x1={labelWidth + (tick / max) * plotWidth}
              x2={labelWidth + (tick / max) * plotWidth}
              y1={top - 4}
              y2={height - 4}
              stroke="#e2e6e0"
            />
            <text
              x={labelWidth + (tick / max) * plotWidth}
              y={top - 8}
              fontSize="11"
              fill="#637068"
              textAnchor="middle"
            >
              {formatCount(tick)}
            </text>
          </g>
        ))}
        {shown.map((c, i) => {
          const y = top + i * row;
          let x = labelWidth;
          return (
            <g key={c.wnid}>
              <title>{`${c.wnid} ${c.lemmas.join(", ")}: train ${c.train}, val ${c.val}, test ${c.test}`}</title>
              <text x={labelWidth - 8} y={y + row / 2 + 4} fontSize="12" fill="#1d2521" textAnchor="end">
                {label(c)}
              </text>
              {SPLITS.map((split) => {
                const w = (c[split] / max) * plotWidth;
                const rect = <rect key={split} x={x} y={y + 2} width={w} height={row - 5} fill={SPLIT_COLORS[split]} />;
                x += w;
                return rect;
              })}
              <text x={x + 6} y={y + row / 2 + 4} fontSize="11" fill="#637068">
                {formatCount(total(c))}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        {classes.length > limit
          ? `The ${limit} largest of ${formatCount(classes.length)} classes. `
          : `All ${formatCount(classes.length)} classes. `}
        Images per class: min {formatCount(sizes[0] ?? 0)}, median {formatCount(median)}, max{" "}
        {formatCount(sizes.at(-1) ?? 0)}.
      </figcaption>
    </figure>
  );
}

/** A round axis maximum and at most five round ticks (1, 2 or 5 × 10^k apart) for counts up to `value`. */
function axis(value: number): { max: number; ticks: number[] } {
  const rough = value / 4;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? magnitude * 10);
  const max = Math.ceil(value / step) * step;
  const ticks: number[] = [];
  for (let tick = 0; tick <= max; tick += step) ticks.push(tick);
  return { max, ticks };
}
