import { getModel, getServices, idSchema, listModelArtifacts, parseInput } from "@arbor/usecases";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { Fragment } from "react";
import { formatCount } from "@/components/format";
import { CurvePlot } from "@/components/models/curve-plot";
import { curvePlots, formatMetric, formatPercent, topError } from "@/components/models/metrics";
import { authorizePage } from "@/server/auth";
import { loadOr404 } from "@/server/page-data";
import { requestOrigin } from "@/server/request-origin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Model" };

/** Classes listed on the page (a model may have tens of thousands; the API has them all). */
const CLASSES_SHOWN = 1000;

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await authorizePage("/models", `/models/${id}`);
  const services = await getServices();
  const model = await loadOr404(() => getModel(services.db, parseInput(idSchema("model"), id)));
  const artifacts = await listModelArtifacts(services, model.id, { origin: requestOrigin(await headers()) });
  const plots = curvePlots(model.curve);
  const shown = model.classes.slice(0, CLASSES_SHOWN);
  const epochs = typeof model.metrics.epochs === "number" ? model.metrics.epochs : model.curve.length;
  const metrics = Object.entries(model.metrics);

  return (
    <div className="stack">
      <div>
        <Link href="/models">← Models</Link>
        <h1>
          {model.name} <span className="muted">{model.architecture}</span>
        </h1>
        <p className="muted" style={{ margin: 0 }}>
          {model.datasetVersionId !== null ? (
            <>
              Trained on{" "}
              <Link href={`/datasets/${model.datasetVersionId}`}>
                {model.dataset ?? `dataset version ${model.datasetVersionId}`}
              </Link>
            </>
          ) : (
            "No dataset version recorded"
          )}{" "}
          · registered {new Date(model.createdAt).toLocaleString("en-GB")}
          {model.createdBy && ` by ${model.createdBy}`}
        </p>
        {model.parent && (
          <p className="muted" style={{ margin: 0 }}>
            Fine-tuned from{" "}
            {model.parent.id !== null ? (
              <Link href={`/models/${model.parent.id}`}>{model.parent.name}</Link>
            ) : (
              <>
                <b>{model.parent.name}</b> (not in this registry)
              </>
            )}
            {model.parent.sha256 && (
              <span className="mono small" title={`sha256 of the parent's weights: ${model.parent.sha256}`}>
                {" "}
                · weights {model.parent.sha256.slice(0, 12)}
              </span>
            )}
          </p>
        )}
      </div>

      <section className="facts" aria-label="Summary">
        {(
          [
            ["top-1 error", formatPercent(topError(model.metrics, 1, model.curve))],
            ["top-5 error", formatPercent(topError(model.metrics, 5, model.curve))],
            ["epochs", formatCount(epochs)],
            ["predictions", formatCount(model.predictions)],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="panel fact">
            <b>{value}</b>
            <span>{label}</span>
          </div>
        ))}
      </section>

      <section className="panel" aria-label="Training curve">
        <h2>Training curve</h2>
        {plots.length === 0 ? (
          <p className="muted">No training curve was uploaded with this model.</p>
        ) : (
          <div className="curve-grid">
            {plots.map((plot) => (
              <CurvePlot key={plot.title} plot={plot} />
            ))}
          </div>
        )}
      </section>

      <div className="grid-2">
        <section className="panel" aria-label="Classes">
          <h2>Classes ({formatCount(model.classes.length)})</h2>
          {model.classes.length === 0 ? (
            <p className="muted">No class list was uploaded.</p>
          ) : (
            <>
              <div className="scroll">
                <table className="table">
                  <thead>
                    <tr>
                      <th className="num">output</th>
                      <th>wnid</th>
                      <th>synset</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((wnid, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the output index is the identity (wnids may repeat)
                      <tr key={i}>
                        <td className="count num">{i}</td>
                        <td className="mono">
                          <Link href={`/synsets/${wnid}`}>{wnid}</Link>
                        </td>
                        <td>{model.classLemmas[wnid] ?? <span className="muted small">not in WordNet</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {model.classes.length > shown.length && (
                <p className="muted small">
                  The first {formatCount(shown.length)}; all of them: <code>GET /api/v1/models/{model.id}</code>.
                </p>
              )}
            </>
          )}
        </section>
        <section className="panel" aria-label="Metrics">
          <h2>Files</h2>
          {artifacts.length === 0 ? (
            <p className="muted">No files were uploaded (arbor-train predict --push uploads the checkpoint).</p>
          ) : (
            <ul className="plain">
              {artifacts.map((a) => (
                <li key={a.name}>
                  {a.url ? <a href={a.url}>{a.name}</a> : a.name}{" "}
                  <span className="muted small">{(a.bytes / 1024).toFixed(0)} KiB</span>
                </li>
              ))}
            </ul>
          )}
          <h2>Metrics</h2>
          {metrics.length === 0 ? (
            <p className="muted">No metrics were reported.</p>
          ) : (
            <dl className="kv">
              {metrics.map(([key, value]) => (
                <Fragment key={key}>
                  <dt>{key}</dt>
                  <dd className={typeof value === "object" && value !== null ? "mono small" : undefined}>
                    {formatMetric(key, value)}
                  </dd>
                </Fragment>
              ))}
            </dl>
          )}
        </section>
      </div>
    </div>
  );
}
