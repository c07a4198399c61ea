import { getServices, listIngestRuns, usecasesEnv } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { formatCount } from "@/components/format";
import { StartIngestForm } from "@/components/ingest/start-ingest-form";
import { authorizePage } from "@/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Ingest" };

export default async function IngestPage() {
  await authorizePage("/ingest", "/ingest");
  const runs = await listIngestRuns((await getServices()).db);
  return (
    <div className="stack">
      <div>
        <h1>Ingest</h1>
        <p className="muted" style={{ margin: 0 }}>
          Bring images in from server folders, URL lists or S3. Runs happen in the background; the same bytes are never
          stored twice, and a re-run only adds what is new. To upload from your computer, drop files on a synset's page.
          From a terminal: <code>npx arbor ingest &lt;folder|file.csv|s3://…&gt;</code>.
        </p>
      </div>
      <section className="panel">
        <h2>New run</h2>
        <StartIngestForm roots={usecasesEnv().ingestRoots} />
      </section>
      <section className="panel">
        <h2>Runs</h2>
        {runs.length === 0 ? (
          <p className="muted">No runs yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>source</th>
                <th>status</th>
                <th>processed</th>
                <th>new</th>
                <th>dup</th>
                <th>skipped</th>
                <th>started</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>
                    <Link href={`/ingest/${run.id}`}>{run.id}</Link>
                  </td>
                  <td className="mono">
                    {run.kind}: {run.source}
                  </td>
                  <td>
                    <span className={`status status-${run.status}`}>{run.status}</span>
                    {run.warning && (
                      <span className="run-warning" title={run.warning}>
                        {" "}
                        nothing ingested
                      </span>
                    )}
                  </td>
                  <td className="count">
                    {formatCount(run.processed)}
                    {run.total !== null && ` / ${formatCount(run.total)}`}
                  </td>
                  <td className="count">{formatCount(run.added)}</td>
                  <td className="count">{formatCount(run.duplicates)}</td>
                  <td className="count">{formatCount(run.skipped)}</td>
                  <td>{run.startedAt ? new Date(run.startedAt).toLocaleString("en-GB") : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
