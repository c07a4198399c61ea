/** Votes per hour as a bar chart (inline SVG: no charting library for one plot). */
export function ThroughputChart({ points }: { points: { hour: string; votes: number }[] }) {
  if (points.length === 0) return <p className="muted">No votes yet.</p>;
  const max = Math.max(...points.map((p) => p.votes));
  const width = 640;
  const height = 160;
  const bar = width / points.length;
  return (
    <svg viewBox={`0 0 ${width} ${height + 20}`} className="chart" role="img" aria-label="Votes per hour">
      {points.map((p, i) => {
        const h = (p.votes / max) * height;
        return (
          <g key={p.hour}>
            <rect x={i * bar + 2} y={height - h} width={Math.max(1, bar - 4)} height={h} fill="#2f6f4e">
              <title>{`${new Date(p.hour).toLocaleString("en-GB")}: ${p.votes} votes`}</title>
            </rect>
          </g>
        );
      })}
      <text x={0} y={height + 16} fontSize="11" fill="#637068">
        {new Date(points[0]?.hour ?? "").toLocaleString("en-GB")}
      </text>
      <text x={width} y={height + 16} fontSize="11" fill="#637068" textAnchor="end">
        max {max} votes/hour
      </text>
    </svg>
  );
}
