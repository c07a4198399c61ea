import { type PoolPlan, poolPlan } from "@arbor/core";
import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { getAnnotatorPool } from "./annotator-pool.ts";
import { campaignModelReport } from "./campaign-model-report.ts";
import { type CampaignPolicy, campaignPolicySchema } from "./campaign-policy.ts";
import type { CampaignModel, CampaignState, CampaignStats, CampaignSummary } from "./campaign-schemas.ts";
import type { AnnotatorPool } from "./pool-schemas.ts";
import { settleCampaign } from "./settle-campaigns.ts";

/**
 * A campaign's progress: items per decision, votes, throughput over time and the confidence table, with
 * where it stands (blocked, seeding, labelling…) and what its annotator pool means for its policy, and, with
 * a model, its calibration, auto-accept and audit, votes saved and anchoring (campaignModelReport). Reading
 * it applies the pool rule first (settleCampaign), so images nobody left can vote on show as ambiguous.
 */
export async function getCampaign(db: Db, id: number): Promise<CampaignStats> {
  await settleCampaign(db, id);
  const campaign = await db.campaign.findUnique({
    where: { id },
    include: { synset: { select: { wnid: true, lemmas: true } } },
  });
  if (!campaign) throw notFound(`no campaign ${id}`);
  const policy = campaignPolicySchema.parse(campaign.policy);
  const pool = await getAnnotatorPool(db);
  const plan = poolPlan(policy, pool.annotators);
  const [decisions, seedRows, votes, throughput] = await Promise.all([
    db.campaignItem.groupBy({ by: ["decision"], where: { campaignId: id }, _count: true }),
    db.$queryRaw<{ size: number; collected: number }[]>`
      SELECT count(*)::int AS size, count(*) FILTER (WHERE yes + no >= ${plan.seedVotes})::int AS collected
      FROM campaign_item WHERE campaign_id = ${id} AND is_seed`,
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
  const items = {
    total,
    pending: count("pending"),
    verified: count("verified"),
    rejected: count("rejected"),
    ambiguous: count("ambiguous"),
  };
  const seed = {
    size: seedRows[0]?.size ?? 0,
    complete: campaign.confidenceTable !== null,
    collected: seedRows[0]?.collected ?? 0,
  };
  const model = await campaignModelReport(db, campaign, policy);
  const autoAccepted = model?.autoAccept.autoAccepted ?? 0;
  return {
    id: campaign.id,
    synset: campaign.synset,
    status: campaign.status,
    policy: campaign.policy as Record<string, unknown>,
    items,
    seed,
    state: campaignState(campaign.status, policy, plan, items, seed, autoAccepted, model?.calibrationSet ?? null),
    pool: {
      ...pool,
      needs: { seed: policy.seedVotes, rest: policy.maxVotes },
      seedVotes: plan.seedVotes,
      maxVotes: plan.maxVotes,
      notes: campaign.status === "active" ? poolNotes(policy, plan, pool, seed.complete) : [],
    },
    votes: votes[0]?.votes ?? 0,
    goldVotes: votes[0]?.gold ?? 0,
    throughput: throughput.map((t) => ({ hour: t.hour.toISOString(), votes: t.votes })),
    confidenceTable: campaign.confidenceTable,
    model,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Where the campaign stands; `blocked` (with the fix) when it cannot go on with the annotators it has. */
function campaignState(
  status: "active" | "paused" | "done",
  policy: CampaignPolicy,
  plan: PoolPlan,
  items: { total: number; pending: number; verified: number; rejected: number; ambiguous: number },
  seed: { size: number; complete: boolean; collected: number },
  autoAccepted: number,
  calibrationSet: CampaignModel["calibrationSet"] | null,
): CampaignState {
  const addAnnotators = "Add annotators (users with the annotator role), or unblock some.";
  if (status === "done") {
    const review = items.ambiguous > 0 ? `; ${plural(items.ambiguous, "image")} wait in the review queue` : "";
    const crowd = items.verified + items.rejected - autoAccepted;
    const model = autoAccepted > 0 ? ` and the model auto-accepted ${autoAccepted}` : "";
    return {
      code: "done",
      message: `Done: the crowd decided ${crowd} of ${items.total} images${model}${review}.`,
      fix: null,
    };
  }
  if (status === "paused") return { code: "paused", message: "Paused: no tasks are handed out.", fix: null };
  if (plan.annotators === 0) {
    return {
      code: "blocked",
      message: "Blocked: no annotator can label (no unblocked user has the annotator role).",
      fix: addAnnotators,
    };
  }
  if (!seed.complete && plan.seedBlocked) {
    return {
      code: "blocked",
      message:
        `Blocked: the seed set needs ${plan.seedVotes} distinct annotators and there ` +
        `${plan.annotators === 1 ? "is 1" : `are ${plan.annotators}`} (the policy asks ${policy.seedVotes} votes ` +
        `per seed image; it is lowered to the pool, but never below ${plan.seedMinimum}).`,
      fix: `Add ${plural(plan.seedVotes - plan.annotators, "annotator")} (users with the annotator role), or unblock some.`,
    };
  }
  if (!seed.complete) {
    return {
      code: "seeding",
      message:
        `Collecting the seed: ${seed.collected} of ${seed.size} seed images have their ${plan.seedVotes} votes; ` +
        "the other images wait for the confidence table built from them.",
      fix: null,
    };
  }
  const still = `${plural(items.pending, "image")} still need votes`;
  if (calibrationSet && calibrationSet.pending > 0) {
    const settled = calibrationSet.size - calibrationSet.pending;
    return {
      code: "labelling",
      message:
        `Labelling: ${still}. The model's calibration set comes first: ${settled} of its ${calibrationSet.size} ` +
        "images are decided (or ambiguous), on votes alone; the model is calibrated on them once all are, and " +
        "only then do priors (and auto-accept) help the other images.",
      fix: null,
    };
  }
  return { code: "labelling", message: `Labelling: ${still}.`, fix: null };
}

/** What the pool means for this policy: a lowered seed, a vote cap below maxVotes, inactive annotators. */
function poolNotes(policy: CampaignPolicy, plan: PoolPlan, pool: AnnotatorPool, seedComplete: boolean): string[] {
  const notes: string[] = [];
  const there = `there ${pool.annotators === 1 ? "is 1 annotator" : `are ${pool.annotators} annotators`}`;
  if (!seedComplete && !plan.seedBlocked && plan.seedVotes < policy.seedVotes) {
    notes.push(
      `The policy asks ${policy.seedVotes} votes per seed image but ${there} and each votes once: ` +
        `the seed is collected with ${plan.seedVotes}.`,
    );
  }
  if (plan.undecidable) {
    notes.push(
      `minVotes is ${policy.minVotes} but ${there}: no image can get enough votes for the crowd to decide it, ` +
        "so every image ends in the review queue. Add annotators or lower minVotes.",
    );
  } else if (plan.maxVotes < policy.maxVotes) {
    notes.push(
      `maxVotes is ${policy.maxVotes} but ${there}: an image gets at most ${plan.maxVotes} votes, and one still ` +
        "undecided when everyone has voted on it (or that those left could not decide) goes to the review queue.",
    );
  }
  if (pool.active < pool.annotators) {
    notes.push(
      `${pool.active} of the ${pool.annotators} annotators held a task in the last ${pool.activeDays} days: ` +
        "images only the others can still vote on wait for them (blocking an annotator who has left ends the " +
        "wait, and discounts their votes).",
    );
  }
  return notes;
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
