import type { Db, Tx } from "@arbor/db";
import { invalid, parseInput, unprocessable } from "../errors.ts";
import { applyLinkStateChanges } from "../image-links/apply-link-state-changes.ts";
import { type CampaignPolicy, campaignPolicySchema } from "./campaign-policy.ts";
import { type CreateCampaignInput, createCampaignSchema } from "./campaign-schemas.ts";
import { CALIBRATION_SHIFT, itemRandomSql, SEED_SHIFT } from "./item-random.ts";

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

/** The model a campaign names, checked: it exists, and which of the synsets it has a class at or below. */
async function checkModel(
  db: Db,
  modelId: number,
  wnid: string,
  synsetIds: readonly number[],
): Promise<{ id: number; covered: Set<number> }> {
  const model = await db.model.findUnique({ where: { id: modelId }, select: { id: true, name: true, classes: true } });
  if (!model) throw invalid(`no model ${modelId}`);
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT DISTINCT c.ancestor_id AS id FROM synset_closure c JOIN synset s ON s.id = c.descendant_id
    WHERE c.ancestor_id = ANY(${[...synsetIds]}::int[]) AND s.wnid = ANY(${model.classes}::text[])`;
  if (rows.length === 0) {
    throw invalid(
      `model ${modelId} (${model.name}) has no class at ${wnid} or below it, so its predictions cannot give ` +
        "these images a prior; name a model trained on this synset or one of its descendants",
    );
  }
  return { id: model.id, covered: new Set(rows.map((r) => r.id)) };
}

/**
 * Starts labelling a synset's candidate images (or, with `subtree`, one campaign per synset below it that has
 * candidates). A random seed subset of each is marked to get many votes and build the confidence table.
 * With a model, each image keeps the model's highest out-of-sample score for the synset or a descendant
 * (its prior once calibrated), and a random calibration set is marked (markCalibrationSet): the seed and the
 * next images in the campaign's random order, decided on votes alone before the model is calibrated on
 * them; with subtree, a synset the model has no class at or below gets a campaign without it. The seed and
 * the calibration set stay plain random draws whatever the scores: the confidence table and the calibration
 * are fitted on them and must see the candidates as they are.
 */
export async function createCampaigns(db: Db, input: CreateCampaignInput): Promise<{ ids: number[] }> {
  const { wnid, subtree, model: modelOptions, ...parsed } = parseInput(createCampaignSchema, input);
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
  if (synsetIds.length === 0) throw unprocessable(`no synset under ${wnid} has candidate images`);
  const model = modelOptions ? await checkModel(db, modelOptions.modelId, wnid, synsetIds) : null;
  const ids: number[] = [];
  for (const synsetId of synsetIds) {
    const modelId = model?.covered.has(synsetId) ? model.id : null;
    const id = await db.$transaction(async (tx) => {
      await acceptVerifiedDescendants(tx, synsetId);
      const campaign = await tx.campaign.create({
        data: {
          synsetId,
          policy,
          ...(modelId !== null && modelOptions
            ? {
                modelId,
                ordering: modelOptions.ordering,
                autoAccept: modelOptions.autoAccept,
                auditFraction: modelOptions.auditFraction,
                showModelGuess: modelOptions.showModelGuess,
              }
            : {}),
        },
        select: { id: true },
      });
      // Every candidate not already in an active campaign of this synset; a random seed among them. The
      // model's score: its best out-of-sample prediction for the synset or anything below it (a dog model
      // that says "pug" says "dog"); predictions for images it trained on are in-sample and left out.
      await tx.$executeRaw`
        INSERT INTO campaign_item (campaign_id, image_id, is_seed, model_score)
        SELECT ${campaign.id}, l.image_id, row_number() OVER (ORDER BY random()) <= ${policy.seedSize},
          (SELECT max(p.score) FROM prediction p JOIN synset_closure c ON c.descendant_id = p.synset_id
           WHERE ${modelId}::int IS NOT NULL AND p.model_id = ${modelId}::int AND p.image_id = l.image_id
             AND c.ancestor_id = ${synsetId} AND NOT p.in_training)
        FROM image_link l
        WHERE l.synset_id = ${synsetId} AND l.state = 'candidate'
          AND NOT EXISTS (
            SELECT 1 FROM campaign_item i JOIN campaign c ON c.id = i.campaign_id
            WHERE i.image_id = l.image_id AND c.synset_id = ${synsetId} AND c.status = 'active'
              AND c.id <> ${campaign.id})`;
      if (modelId !== null) await markCalibrationSet(tx, campaign.id, policy);
      await setInitialPriorities(tx, campaign.id);
      return campaign.id;
      // A synset with 120,000 candidates took 10 s here on a loaded 2-core machine (Prisma's default is 5 s).
    }, CREATE_TRANSACTION);
    ids.push(id);
  }
  // Fresh statistics for the planner: a campaign of 120,000 new items, planned with the statistics of an
  // empty table until autovacuum's ANALYZE came round, made tasks/next take 7 s (p50, 16 annotators) for
  // the first minute of labelling. ANALYZE samples at most 30,000 rows, so it costs well under a second.
  await db.$executeRaw`ANALYZE campaign_item`;
  return { ids };
}

const CREATE_TRANSACTION = { maxWait: 10_000, timeout: 300_000 };

/**
 * The calibration set of a campaign with a model: the seed plus the next non-seed images in the campaign's
 * seeded random order (itemRandom), min(calibrationSize, half the campaign's images) in all, but never fewer
 * than the seed (which is always in it). At most half: a prior only helps the images decided after the set,
 * so at least as many are left to it as the set has (a 60-image campaign calibrates on 30 and saves votes on
 * 30, rather than calibrating on all 60 and saving none).
 */
async function markCalibrationSet(tx: Tx, campaignId: number, policy: CampaignPolicy): Promise<void> {
  const [counts] = await tx.$queryRaw<{ total: number; seed: number }[]>`
    SELECT count(*)::int AS total, count(*) FILTER (WHERE is_seed)::int AS seed
    FROM campaign_item WHERE campaign_id = ${campaignId}`;
  const total = counts?.total ?? 0;
  const seed = counts?.seed ?? 0;
  const size = Math.max(seed, Math.min(policy.calibrationSize, Math.floor(total / 2)));
  await tx.$executeRaw`
    UPDATE campaign_item SET calibration = true
    WHERE campaign_id = ${campaignId} AND (is_seed OR image_id IN (
      SELECT image_id FROM campaign_item WHERE campaign_id = ${campaignId} AND NOT is_seed
      ORDER BY ${itemRandomSql(campaignId)}, image_id LIMIT ${size - seed}))`;
}

/**
 * Until the calibration set calibrates the model every image's ordering key is its seeded random number, the
 * seed's shifted below everyone else's (SEED_SHIFT) and the rest of the calibration set's below all but the
 * seed's (CALIBRATION_SHIFT): while seeding only seed images are handed out, then the calibration set first,
 * each in turn first in the (campaign, decision, priority) index that stays one short index scan however many
 * images wait.
 */
async function setInitialPriorities(tx: Tx, campaignId: number): Promise<void> {
  await tx.$executeRaw`
    UPDATE campaign_item SET priority = ${itemRandomSql(campaignId)}
      - CASE WHEN is_seed THEN ${SEED_SHIFT} WHEN calibration THEN ${CALIBRATION_SHIFT} ELSE 0 END
    WHERE campaign_id = ${campaignId}`;
}
