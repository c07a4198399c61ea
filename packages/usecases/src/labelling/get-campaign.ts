import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { CampaignStats, CampaignSummary } from "./campaign-schemas.ts";

/** A campaign's progress: items per decision, votes, throughput over time and the confidence table. */
export async function getCampaign(db: Db, id: number): Promise<CampaignStats> {
  const campaign = await db.campaign.findUnique({
    where: { id },
    include: { synset: { select: { wnid: true, lemmas: true } } },
  });
  if (!campaign) throw notFound(`no campaign ${id}`);
  const [decisions, seed, votes, throughput] = await Promise.all([
    db.campaignItem.groupBy({ by: ["decision"], where: { campaignId: id }, _count: true }),
    db.campaignItem.count({ where: { campaignId: id, isSeed: true } }),
    db.$queryRaw<{ votes: number; gold: number }[]>`
      SELECT count(*) FILTER (WHERE v.gold_correct IS NULL)::int AS votes,
             count(*) FILTER (WHERE v.gold_correct IS NOT NULL)::int AS gold
      FROM vote v JOIN task t ON t.id = v.task_id WHERE t.campaign_id = ${id}`,
    db.$queryRaw<{ hour: Date; votes: number }[]>`
      SELECT date_trunc('hour', v.created_at) AS hour, count(*)::int AS votes
      FROM vote v JOIN task t ON t.id = v.task_id WHERE t.campaign_id = ${id}
      GROUP BY 1 ORDER BY 1`,
  ]);
  const count = (decision: string) => decisions.find((d) => d.decision === decision)?._count ?? 0;
  const total = decisions.reduce((sum, d) => sum + d._count, 0);
  return {
    id: campaign.id,
    synset: campaign.synset,
    status: campaign.status,
    policy: campaign.policy as Record<string, unknown>,
    items: {
      total,
      pending: count("pending"),
      verified: count("verified"),
      rejected: count("rejected"),
      ambiguous: count("ambiguous"),
    },
    seed: { size: seed, complete: campaign.confidenceTable !== null },
    votes: votes[0]?.votes ?? 0,
    goldVotes: votes[0]?.gold ?? 0,
    throughput: throughput.map((t) => ({ hour: t.hour.toISOString(), votes: t.votes })),
    confidenceTable: campaign.confidenceTable,
  };
}

/** The newest campaigns (at most 100), each with its synset and size. */
export async function listCampaigns(db: Db): Promise<CampaignSummary[]> {
  const rows = await db.campaign.findMany({
    orderBy: { id: "desc" },
    take: 100,
    select: {
      id: true,
      status: true,
      synset: { select: { wnid: true, lemmas: true } },
      _count: { select: { items: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    wnid: r.synset.wnid,
    lemma: r.synset.lemmas[0] ?? r.synset.wnid,
    status: r.status,
    items: r._count.items,
  }));
}
