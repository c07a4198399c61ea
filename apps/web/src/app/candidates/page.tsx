import { getServices, listCandidateRuns, listModels } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/challenges/auto-refresh";
import { CandidateRunForm } from "@/components/prelabels/candidate-run-form";
import { CandidateRunsTable } from "@/components/prelabels/candidate-runs-table";
import { isActiveRun } from "@/components/prelabels/prelabels-format";
import { authorizePage } from "@/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Candidates from models" };

export default async function CandidatesPage() {
  await authorizePage("/candidates", "/candidates");
  const { db } = await getServices();
  const [models, runs] = await Promise.all([listModels(db), listCandidateRuns(db)]);
  return (
    <div className="stack">
      <div>
        <h1>Candidates from models</h1>
        <p className="muted" style={{ margin: 0 }}>
          A trained model proposes candidate images for a synset from its predictions: among ingested images not yet
          linked to it, those the model scores high become candidates, marked with the model and its score, for a{" "}
          <Link href="/campaigns">campaign</Link> to verify. From a terminal:{" "}
          <code>npx arbor candidates propose --model ID --wnid n… --min-score 0.9</code>
        </p>
      </div>
      <section className="panel">
        <h2>New run</h2>
        <CandidateRunForm
          models={models.map(({ id, name, classCount, predictions }) => ({ id, name, classCount, predictions }))}
        />
      </section>
      <section className="panel">
        <h2>Runs</h2>
        <CandidateRunsTable runs={runs} />
        <AutoRefresh active={runs.some(isActiveRun)} />
      </section>
    </div>
  );
}
