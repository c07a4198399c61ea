import { getCampaign, getServices, idSchema, listModels, listReviewQueue, parseInput } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { ConfidenceTableView } from "@/components/campaigns/confidence-table-view";
import { ReviewQueue } from "@/components/campaigns/review-queue";
import { ThroughputChart } from "@/components/campaigns/throughput-chart";
import { formatCount } from "@/components/format";
import { CampaignModelPanel } from "@/components/prelabels/campaign-model-panel";
import { LikelyLabelErrors } from "@/components/prelabels/likely-label-errors";
import { ReviewTabs } from "@/components/prelabels/review-tabs";
import { authorizePage } from "@/server/auth";
import { loadOr404 } from "@/server/page-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Campaign" };

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await authorizePage("/campaigns", `/campaigns/${id}`);
  const db = (await getServices()).db;
  const campaign = await loadOr404(() => getCampaign(db, parseInput(idSchema("campaign"), id)));
  const [review, models] = await Promise.all([listReviewQueue(db, campaign.id), listModels(db)]);
  const { items, pool, state } = campaign;
  return (
    <div className="stack">
      <div>
        <Link href="/campaigns">← Campaigns</Link>
        <h1>
          Campaign {campaign.id}: <Link href={`/synsets/${campaign.synset.wnid}`}>{campaign.synset.lemmas[0]}</Link>{" "}
          <span className={`status status-${campaign.status === "done" ? "succeeded" : "running"}`}>
            {campaign.status}
          </span>
        </h1>
      </div>
      <section className={`panel campaign-state campaign-state-${state.code}`} aria-label="State">
        <p>
          <b>{state.message}</b>
        </p>
        {state.fix && (
          <p>
            {state.fix} <Link href="/annotators">Annotators →</Link>
          </p>
        )}
      </section>
      <section className="facts" aria-label="Progress">
        {(
          [
            ["verified", items.verified],
            ["rejected", items.rejected],
            ["ambiguous", items.ambiguous],
            ["pending", items.pending],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="panel fact">
            <b>{formatCount(value)}</b>
            <span>
              {label} of {formatCount(items.total)}
            </span>
          </div>
        ))}
      </section>
      <div className="grid-2">
        <section className="panel">
          <h2>Throughput</h2>
          <ThroughputChart points={campaign.throughput} />
          <p className="muted" style={{ fontSize: "0.85rem" }}>
            {formatCount(campaign.votes)} votes ({formatCount(campaign.goldVotes)} on gold questions),{" "}
            {items.total > 0 ? (campaign.votes / items.total).toFixed(2) : "0"} per image; seed of {campaign.seed.size}{" "}
            images{" "}
            {campaign.seed.complete
              ? "complete"
              : `collecting votes (${campaign.seed.collected} have their ${pool.seedVotes})`}
            .
          </p>
        </section>
        <section className="panel">
          <h2>Confidence table</h2>
          <ConfidenceTableView table={campaign.confidenceTable as never} />
        </section>
      </div>
      {campaign.model && <CampaignModelPanel model={campaign.model} seedComplete={campaign.seed.complete} />}
      <section className="panel" aria-label="Annotator pool">
        <h2>Annotator pool</h2>
        <dl className="kv">
          <dt>the policy needs</dt>
          <dd>
            {pool.needs.seed} distinct annotators for the seed set (seedVotes), up to {pool.needs.rest} for every other
            image (maxVotes): each annotator votes once per image
          </dd>
          <dt>annotators</dt>
          <dd>
            {pool.annotators} (unblocked users with the annotator role), {pool.active} of them active (held a task) in
            the last {pool.activeDays} days
          </dd>
          <dt>seed votes per image</dt>
          <dd>{pool.seedVotes}</dd>
          <dt>most votes per image</dt>
          <dd>{pool.maxVotes}</dd>
        </dl>
        {pool.notes.map((note) => (
          <p key={note} className="callout small">
            {note}
          </p>
        ))}
      </section>
      <section className="panel">
        <h2>Review queue</h2>
        <ReviewTabs
          ambiguousCount={review.length}
          ambiguous={<ReviewQueue campaignId={campaign.id} items={review} />}
          labelErrors={
            <LikelyLabelErrors
              models={models.map(({ id, name, classCount, predictions }) => ({ id, name, classCount, predictions }))}
              defaultModelId={campaign.model?.id ?? null}
              synset={{ wnid: campaign.synset.wnid, lemma: campaign.synset.lemmas[0] ?? campaign.synset.wnid }}
            />
          }
        />
      </section>
    </div>
  );
}
