import type { Db, Tx } from "@arbor/db";
import { invalid, parseInput, unprocessable } from "../errors.ts";
import { applyLinkStateChanges } from "../image-links/apply-link-state-changes.ts";
import { campaignPolicySchema } from "./campaign-policy.ts";
import { type CreateCampaignInput, createCampaignSchema } from "./campaign-schemas.ts";

/**
 * An image verified for a synset below this one is, by the is-a relation, an instance of this one too: its
 * candidate link here is verified without asking anyone again.
 */
async function acceptVerifiedDescendants(tx: Tx, synsetId: number): Promise<void> {
  const rows = await tx.$queryRaw<{ image_id: number }[]>`
    SELECT l.image_id FROM image_link l
    WHERE l.synset_id = ${synsetId} AND l.state = 'candidate'
      AND EXISTS (SELECT 1 FROM image_link v JOIN synset_closure c ON c.descendant_id = v.synset_id
                  WHERE v.image_id = l.image_id AND v.state = 'verified' AND c.ancestor_id = ${synsetId}
                    AND v.synset_id <> ${synsetId})
    ORDER BY l.image_id FOR UPDATE`;
  if (rows.length === 0) return;
  await tx.$executeRaw`SELECT 1 FROM image WHERE id = ANY(${rows.map((r) => r.image_id)}) ORDER BY id FOR UPDATE`;
  await applyLinkStateChanges(
    tx,
    rows.map((r) => ({ imageId: r.image_id, synsetId, to: "verified" as const })),
  );
}

/**
 * Starts labelling a synset's candidate images (or, with `subtree`, one campaign per synset below it that has
 * candidates). A random seed subset of each is marked to get many votes and build the confidence table.
 */
export async function createCampaigns(db: Db, input: CreateCampaignInput): Promise<{ ids: number[] }> {
  const { wnid, subtree, ...parsed } = parseInput(createCampaignSchema, input);
  const policy = parsed.policy ?? parseInput(campaignPolicySchema, {});
  const root = await db.synset.findUnique({ where: { wnid }, select: { id: true } });
  if (!root) throw invalid(`no synset ${wnid}`);
  const synsetIds = subtree
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
      await acceptVerifiedDescendants(tx, synsetId);
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
  if (ids.length === 0) throw unprocessable(`no synset under ${wnid} has candidate images`);
  return { ids };
}
