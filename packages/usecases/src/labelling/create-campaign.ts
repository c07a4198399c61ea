import type { Db } from "@arbor/db";
import { type CampaignPolicy, campaignPolicySchema } from "./campaign-policy.ts";

export class CampaignInputError extends Error {}

/**
 * Starts labelling a synset's candidate images (or, with `subtree`, one campaign per synset below it that has
 * candidates). A random seed subset of each is marked to get many votes and build the confidence table.
 */
export async function createCampaigns(
  db: Db,
  input: { wnid: string; policy?: Partial<CampaignPolicy>; subtree?: boolean },
): Promise<{ ids: number[] }> {
  const policy = campaignPolicySchema.parse(input.policy ?? {});
  const root = await db.synset.findUnique({ where: { wnid: input.wnid }, select: { id: true } });
  if (!root) throw new CampaignInputError(`no synset ${input.wnid}`);
  const synsetIds = input.subtree
    ? (
        await db.$queryRaw<{ id: number }[]>`
          SELECT DISTINCT c.descendant_id AS id FROM synset_closure c
          JOIN image_link l ON l.synset_id = c.descendant_id AND l.state = 'candidate'
          WHERE c.ancestor_id = ${root.id}`
      ).map((r) => r.id)
    : [root.id];
  const ids: number[] = [];
  for (const synsetId of synsetIds) {
    const id = await db.$transaction(async (tx) => {
      const campaign = await tx.campaign.create({ data: { synsetId, policy }, select: { id: true } });
      // Every candidate not already in an active campaign of this synset; a random seed among them.
      await tx.$executeRaw`
        INSERT INTO campaign_item (campaign_id, image_id, is_seed)
        SELECT ${campaign.id}, l.image_id, row_number() OVER (ORDER BY random()) <= ${policy.seedSize}
        FROM image_link l
        WHERE l.synset_id = ${synsetId} AND l.state = 'candidate'
          AND NOT EXISTS (
            SELECT 1 FROM campaign_item i JOIN campaign c ON c.id = i.campaign_id
            WHERE i.image_id = l.image_id AND c.synset_id = ${synsetId} AND c.status = 'active'
              AND c.id <> ${campaign.id})`;
      return campaign.id;
    });
    ids.push(id);
  }
  if (ids.length === 0) throw new CampaignInputError(`no synset under ${input.wnid} has candidate images`);
  return { ids };
}
