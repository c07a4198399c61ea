import { getIngestRun, getServices, idParams, parseInput } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { RunProgress } from "@/components/ingest/run-progress";
import { authorizePage } from "@/server/auth";
import { loadOr404 } from "@/server/page-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Ingest run" };

export default async function IngestRunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await authorizePage("/ingest", `/ingest/${id}`);
  const run = await loadOr404(async () =>
    getIngestRun((await getServices()).db, parseInput(idParams("ingest run"), { id }).id),
  );
  return (
    <div className="stack">
      <div>
        <Link href="/ingest">← Ingest</Link>
        <h1>
          Run {run.id} <span className="muted">· {run.kind}</span>
        </h1>
        <p className="mono muted" style={{ margin: 0 }}>
          {run.source} · {run.trusted ? "labels imported as verified" : "images added as candidates"}
        </p>
      </div>
      <RunProgress initial={run} />
    </div>
  );
}
