import { POLICY_BOUNDS } from "@arbor/core";
import { getAnnotatorPool, getServices, listCampaigns, listModels } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { NewCampaignForm } from "@/components/campaigns/new-campaign-form";
import { formatCount } from "@/components/format";
import { authorizePage } from "@/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  await authorizePage("/campaigns", "/campaigns");
  const { db } = await getServices();
  const [campaigns, pool, models] = await Promise.all([listCampaigns(db), getAnnotatorPool(db), listModels(db)]);
  return (
    <div className="stack">
      <div>
        <h1>Labelling campaigns</h1>
        <p className="muted" style={{ margin: 0 }}>
          Annotators verify a synset's candidate images. A random seed set gets many votes and calibrates a confidence
          table; every other image then gets votes only until it is confidently in or out (ImageNet's adaptive
          consensus). <Link href="/annotators">Annotators →</Link>
        </p>
      </div>
      <section className="panel">
        <h2>New campaign</h2>
        <NewCampaignForm
          pool={pool}
          seedMinimum={POLICY_BOUNDS.seedVotes.min}
          models={models.map(({ id, name, classCount, predictions }) => ({ id, name, classCount, predictions }))}
        />
      </section>
      <section className="panel">
        <h2>Campaigns</h2>
        {campaigns.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>synset</th>
                <th>status</th>
                <th>images</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/campaigns/${c.id}`}>{c.id}</Link>
                  </td>
                  <td>
                    <Link href={`/synsets/${c.wnid}`}>{c.lemma}</Link> <span className="mono muted">{c.wnid}</span>
                  </td>
                  <td>
                    <span className={`status status-${c.status === "done" ? "succeeded" : "running"}`}>{c.status}</span>
                  </td>
                  <td className="count">{formatCount(c.items)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
