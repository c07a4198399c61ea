import { getServices, listModels } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { formatCount } from "@/components/format";
import { formatPercent, topError } from "@/components/models/metrics";
import { authorizePage } from "@/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  await authorizePage("/models", "/models");
  const models = await listModels((await getServices()).db);
  return (
    <div className="stack">
      <div>
        <h1>Models</h1>
        <p className="muted" style={{ margin: 0 }}>
          Trained models registered with their dataset version, metrics and training curve; their predictions show on
          each image&apos;s page. From a terminal:{" "}
          <code>npx arbor-train predict --images … --model … --push URL --token TOKEN</code>
        </p>
      </div>
      {models.length === 0 ? (
        <div className="empty">
          No models yet. A trainer registers one with <code>POST /api/v1/models</code>, then sends its predictions.
        </div>
      ) : (
        <section className="panel">
          <table className="table fixed" aria-label="Models">
            <colgroup>
              <col style={{ width: "20%" }} />
              <col style={{ width: "12%" }} />
              <col style={{ width: "18%" }} />
              <col style={{ width: "11%" }} />
              <col style={{ width: "11%" }} />
              <col style={{ width: "10%" }} />
              <col />
            </colgroup>
            <thead>
              <tr>
                <th>name</th>
                <th>architecture</th>
                <th>dataset version</th>
                <th className="num">top-1 error</th>
                <th className="num">top-5 error</th>
                <th className="num">predictions</th>
                <th>created</th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Link href={`/models/${m.id}`}>{m.name}</Link>
                  </td>
                  <td className="mono small">{m.architecture}</td>
                  <td>
                    {m.datasetVersionId !== null ? (
                      <Link href={`/datasets/${m.datasetVersionId}`}>
                        {m.dataset ?? `version ${m.datasetVersionId}`}
                      </Link>
                    ) : (
                      <span className="muted small">—</span>
                    )}
                  </td>
                  <td className="count num">{formatPercent(topError(m.metrics, 1))}</td>
                  <td className="count num">{formatPercent(topError(m.metrics, 5))}</td>
                  <td className="count num">{formatCount(m.predictions)}</td>
                  <td className="small">
                    {new Date(m.createdAt).toLocaleString("en-GB")}
                    {m.createdBy && <span className="muted"> · {m.createdBy}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
