import { poolPlan } from "@arbor/core";
import { type Db, Prisma } from "@arbor/db";
import { countEligibleAnnotators } from "./annotator-pool.ts";
import { CONSENSUS_TRANSACTION, sweepDueConsensus } from "./apply-consensus.ts";
import { type CampaignPolicy, campaignPolicySchema } from "./campaign-policy.ts";
import { retryOnConflict } from "./retry-on-conflict.ts";
import { updateConsensus } from "./update-consensus.ts";

export interface Settled {
  /** Campaigns whose seed turned out complete for the current pool: their table was built. */
  tablesBuilt: number;
  /** Images nobody left in the pool can vote on, now decided (usually ambiguous, for review). */
  settled: number;
}

interface OpenCampaign {
  id: number;
  synsetId: number;
  policy: CampaignPolicy;
  seeding: boolean;
}

/**
 * Applies the pool rule where the pool shrank under a campaign (an annotator blocked or no longer one):
 * a seed now complete for the smaller pool builds its table, and an image every remaining annotator has
 * voted on is decided (ambiguous unless its votes already decide it). Answers apply the rule to their own
 * images as they come in; this catches what no answer will come for. Cheap when nothing is due: images can
 * only run out of annotators in a campaign whose maxVotes is at least the pool, and the candidates are found
 * from their vote counters before any vote is read. Run when `tasks/next` finds nothing for someone. First,
 * the consensus that answers left due (sweepDueConsensus): a seed whose last answer's step failed is built.
 */
export async function settleActiveCampaigns(db: Db): Promise<Settled> {
  await sweepDueConsensus(db);
  const campaigns = await db.campaign.findMany({
    where: { status: "active" },
    orderBy: { id: "asc" },
    select: { id: true, synsetId: true, policy: true, confidenceTable: true },
  });
  const total: Settled = { tablesBuilt: 0, settled: 0 };
  if (campaigns.length === 0) return total;
  const annotators = await countEligibleAnnotators(db);
  for (const campaign of campaigns) {
    const done = await settle(db, open(campaign), annotators);
    total.tablesBuilt += done.tablesBuilt;
    total.settled += done.settled;
  }
  return total;
}

/** As settleActiveCampaigns, for one campaign (when its page is read); nothing for one not active. */
export async function settleCampaign(db: Db, campaignId: number): Promise<Settled> {
  await sweepDueConsensus(db);
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    select: { id: true, synsetId: true, policy: true, confidenceTable: true, status: true },
  });
  if (campaign?.status !== "active") return { tablesBuilt: 0, settled: 0 };
  return settle(db, open(campaign), await countEligibleAnnotators(db));
}

function open(campaign: { id: number; synsetId: number; policy: unknown; confidenceTable: unknown }): OpenCampaign {
  return {
    id: campaign.id,
    synsetId: campaign.synsetId,
    policy: campaignPolicySchema.parse(campaign.policy),
    seeding: campaign.confidenceTable === null,
  };
}

async function settle(db: Db, campaign: OpenCampaign, annotators: number): Promise<Settled> {
  // Nobody at all can label: the campaign page says so; nothing is sent to review for it.
  if (annotators === 0) return { tablesBuilt: 0, settled: 0 };
  const plan = poolPlan(campaign.policy, annotators);
  if (campaign.seeding) {
    const [seed] = await db.$queryRaw<{ size: number; short: number }[]>`
      SELECT count(*)::int AS size, count(*) FILTER (WHERE yes + no < ${plan.seedVotes})::int AS short
      FROM campaign_item WHERE campaign_id = ${campaign.id} AND is_seed`;
    if (!seed || seed.size === 0 || seed.short > 0) return { tablesBuilt: 0, settled: 0 };
    const { tableBuilt } = await retryOnConflict(() =>
      db.$transaction(async (tx) => {
        // The seed rows in id order, as answers lock theirs: nobody adds a seed vote while the table is built.
        // Building the table decides every image with votes: the consensus step's timeout (5 s ran out here
        // on a loaded machine).
        await tx.$executeRaw`SELECT 1 FROM campaign_item WHERE campaign_id = ${campaign.id} AND is_seed
                             ORDER BY image_id FOR UPDATE`;
        return updateConsensus(tx, campaign.id, []);
      }, CONSENSUS_TRANSACTION),
    );
    return { tablesBuilt: tableBuilt ? 1 : 0, settled: 0 };
  }
  // An image has at most maxVotes votes: with a pool larger than that, none can run out of annotators.
  if (annotators > campaign.policy.maxVotes) return { tablesBuilt: 0, settled: 0 };
  if ((await exhaustedItems(db, campaign, annotators, false)).length === 0) return { tablesBuilt: 0, settled: 0 };
  const settled = await retryOnConflict(() =>
    db.$transaction(async (tx) => {
      const ids = await exhaustedItems(tx, campaign, annotators, true);
      if (ids.length > 0) await updateConsensus(tx, campaign.id, ids);
      return ids.length;
    }, CONSENSUS_TRANSACTION),
  );
  return { tablesBuilt: 0, settled };
}

/**
 * Pending images of the campaign that every annotator of the pool has voted on (found first by their vote
 * counters, which count every vote, so only those few have their votes read), locked in id order.
 */
async function exhaustedItems(
  db: Pick<Db, "$queryRaw">,
  campaign: OpenCampaign,
  annotators: number,
  lock: boolean,
): Promise<number[]> {
  const rows = await db.$queryRaw<{ image_id: number }[]>`
    SELECT i.image_id FROM campaign_item i
    WHERE i.campaign_id = ${campaign.id} AND i.decision = 'pending' AND i.yes + i.no >= ${annotators}
      AND (SELECT count(*) FROM vote v JOIN app_user u ON u.id = v.annotator_id
           WHERE v.image_id = i.image_id AND v.synset_id = ${campaign.synsetId} AND v.gold_correct IS NULL
             AND NOT u.blocked AND 'annotator' = ANY(u.roles)) >= ${annotators}
    ORDER BY i.image_id ${lock ? Prisma.raw("FOR UPDATE OF i") : Prisma.empty}`;
  return rows.map((r) => r.image_id);
}
