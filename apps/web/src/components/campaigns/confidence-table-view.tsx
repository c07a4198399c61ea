/** P(positive | yes, no votes) as a heat map: rows are yes votes, columns no votes. */
export function ConfidenceTableView({
  table,
}: {
  table: { p: number[][]; seedImages: number; positiveRate: number } | null;
}) {
  if (!table) return <p className="muted">Built once every seed image has its votes.</p>;
  const yesCounts = [...Array(Math.min(7, table.p.length)).keys()];
  const noCounts = [...Array(Math.min(6, table.p[0]?.length ?? 0)).keys()];
  return (
    <div>
      <table className="table heat" aria-label="Confidence table">
        <thead>
          <tr>
            <th>yes \ no</th>
            {noCounts.map((n) => (
              <th key={n}>{n}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {yesCounts.map((y) => (
            <tr key={y}>
              <th>{y}</th>
              {noCounts.map((n) => {
                const p = table.p[y]?.[n];
                return (
                  <td
                    key={n}
                    style={
                      p === undefined
                        ? {}
                        : {
                            background: `rgb(${Math.round(255 - 208 * p)} ${Math.round(200 - 89 * p + 55 * (1 - p))} ${Math.round(220 - 142 * p)})`,
                          }
                    }
                  >
                    {p === undefined ? "" : p.toFixed(3)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted" style={{ fontSize: "0.85rem" }}>
        From {table.seedImages} seed images; fitted share of positives {(table.positiveRate * 100).toFixed(0)}%.
      </p>
    </div>
  );
}
