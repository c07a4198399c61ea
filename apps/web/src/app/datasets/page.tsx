import { type DatasetVersionSummary, getServices, listActiveFreezeRuns, listDatasetVersions } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { FreezeProgress } from "@/components/datasets/freeze-progress";
import { formatCount } from "@/components/format";
import { authorizePage } from "@/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  await authorizePage("/datasets", "/datasets");
  const { db } = await getServices();
  const [versions, freezing] = await Promise.all([listDatasetVersions(db), listActiveFreezeRuns(db)]);
  // Grouped by dataset, the most recently frozen dataset first; versions newest first within each.
  const byName = new Map<string, DatasetVersionSummary[]>();
  for (const version of versions) byName.set(version.name, [...(byName.get(version.name) ?? []), version]);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Datasets</h1>
          <p className="muted" style={{ margin: 0 }}>
            A version freezes a class set and its verified images into train, val and test splits, once and for all:
            exports and training runs always refer to a version. From a terminal: <code>npx arbor dataset</code>.
          </p>
        </div>
        <Link href="/datasets/new" className="button primary">
          New version
        </Link>
      </div>
      {freezing.length > 0 && (
        <section className="panel stack" aria-label="Freezing">
          <h2>Freezing</h2>
          {freezing.map((run) => (
            <FreezeProgress key={run.id} initial={run} goToVersion={false} />
          ))}
        </section>
      )}
      {byName.size === 0 && freezing.length === 0 ? (
        <div className="empty">
          No dataset versions yet. <Link href="/datasets/new">Freeze the first one →</Link>
        </div>
      ) : (
        [...byName].map(([name, list]) => (
          <section className="panel" key={name} aria-label={name}>
            <h2 className="dataset-name">{name}</h2>
            <table className="table fixed">
              <colgroup>
                <col style={{ width: "30%" }} />
                <col style={{ width: "12%" }} />
                <col style={{ width: "12%" }} />
                <col style={{ width: "22%" }} />
                <col />
              </colgroup>
              <thead>
                <tr>
                  <th>version</th>
                  <th className="num">classes</th>
                  <th className="num">images</th>
                  <th>frozen</th>
                  <th>by</th>
                </tr>
              </thead>
              <tbody>
                {list.map((v) => (
                  <tr key={v.id}>
                    <td>
                      <Link href={`/datasets/${v.id}`}>
                        {v.name} v{v.number}
                      </Link>
                    </td>
                    <td className="count num">{formatCount(v.classCount)}</td>
                    <td className="count num">{formatCount(v.imageCount)}</td>
                    <td>{new Date(v.createdAt).toLocaleString("en-GB")}</td>
                    <td className="muted">{v.createdBy ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </div>
  );
}
