import { type ConfidenceTable, decide, type Vote } from "@arbor/core";
import type { Db } from "@arbor/db";
import { annotatorQualities } from "./annotator-quality.ts";
import { storedCalibration } from "./calibrate-campaign.ts";
import type { CampaignPolicy } from "./campaign-policy.ts";
import type { CampaignModel } from "./campaign-schemas.ts";

/** Images replayed for the votes-saved estimate at most: beyond, a fixed sample, scaled up. */
export const VOTES_SAVED_SAMPLE = 5000;

interface CampaignRow {
  id: number;
  synsetId: number;
  confidenceTable: unknown;
  modelId: number | null;
  ordering: CampaignModel["ordering"];
  calibration: unknown;
  autoAccept: boolean;
  autoAcceptThreshold: number | null;
  auditFraction: number;
  autoAcceptOffReason: string | null;
  showModelGuess: boolean;
}

/** The campaign page's model block (see campaignModelSchema); null for a campaign without a model. */
export async function campaignModelReport(
  db: Db,
  campaign: CampaignRow,
  policy: CampaignPolicy,
): Promise<CampaignModel | null> {
  if (campaign.modelId === null) return null;
  const model = await db.model.findUnique({ where: { id: campaign.modelId }, select: { id: true, name: true } });
  if (!model) return null;
  const calibration = storedCalibration(campaign.calibration);
  const [counts] = await db.$queryRaw<
    { audited: number; audit_yes: number; audit_pending: number; auto_accepted: number }[]
  >`
    SELECT count(*) FILTER (WHERE audit AND decision IN ('verified', 'rejected'))::int AS audited,
           count(*) FILTER (WHERE audit AND decision = 'verified')::int AS audit_yes,
           count(*) FILTER (WHERE audit AND decision = 'pending')::int AS audit_pending,
           count(*) FILTER (WHERE auto_accepted)::int AS auto_accepted
    FROM campaign_item WHERE campaign_id = ${campaign.id}`;
  const [set] = await db.$queryRaw<
    { size: number; decided: number; ambiguous: number; pending: number; votes: number }[]
  >`
    SELECT count(*)::int AS size,
           count(*) FILTER (WHERE decision IN ('verified', 'rejected'))::int AS decided,
           count(*) FILTER (WHERE decision = 'ambiguous')::int AS ambiguous,
           count(*) FILTER (WHERE decision = 'pending')::int AS pending,
           coalesce(sum(yes + no), 0)::int AS votes
    FROM campaign_item WHERE campaign_id = ${campaign.id} AND (calibration OR is_seed)`;
  const audited = counts?.audited ?? 0;
  const table = campaign.confidenceTable as ConfidenceTable | null;
  return {
    id: model.id,
    name: model.name,
    ordering: campaign.ordering,
    calibration: calibration && {
      kind: calibration.calibrator.kind,
      curve: calibration.curve,
      seedPoints: calibration.seedPoints,
      priorsInConsensus: calibration.priorsInConsensus,
    },
    calibrationSet: set ?? { size: 0, decided: 0, ambiguous: 0, pending: 0, votes: 0 },
    autoAccept: {
      on: campaign.autoAccept,
      threshold: campaign.autoAcceptThreshold,
      auditFraction: campaign.auditFraction,
      audited,
      auditPending: counts?.audit_pending ?? 0,
      auditPrecision: audited > 0 ? (counts?.audit_yes ?? 0) / audited : null,
      offReason: campaign.autoAcceptOffReason,
      autoAccepted: counts?.auto_accepted ?? 0,
    },
    votesSaved: table ? await votesSaved(db, campaign, table, policy) : null,
    anchoring: campaign.showModelGuess ? await anchoring(db, campaign.id) : null,
  };
}

/**
 * Votes the decided images outside the seed used, against a lower bound of what they would have needed
 * without the model (see campaignModelSchema.votesSaved). The calibration set's images beyond the seed were
 * decided on votes alone, as without the model: their own votes count on both sides, exactly. Every other
 * image's votes are replayed in the order they came, through the same table and rule without its prior
 * (core's decide), stopping where that would have decided; where the votes ran out first, decide's
 * stillNeeded, the fewest further votes that could decide it (all agreeing), is added. Quality weights are
 * today's, as the consensus uses them.
 */
async function votesSaved(
  db: Db,
  campaign: CampaignRow,
  table: ConfidenceTable,
  policy: CampaignPolicy,
): Promise<NonNullable<CampaignModel["votesSaved"]>> {
  const [counts] = await db.$queryRaw<{ later: number; calibration: number; calibration_votes: number }[]>`
    SELECT count(*) FILTER (WHERE NOT calibration)::int AS later,
           count(*) FILTER (WHERE calibration)::int AS calibration,
           coalesce(sum(yes + no) FILTER (WHERE calibration), 0)::int AS calibration_votes
    FROM campaign_item
    WHERE campaign_id = ${campaign.id} AND NOT is_seed AND decision <> 'pending'`;
  const later = counts?.later ?? 0;
  const atPar = counts?.calibration_votes ?? 0;
  const items = later + (counts?.calibration ?? 0);
  if (later === 0) return { items, votesUsed: atPar, votesWithoutModel: atPar, saved: 0 };
  // A fixed pseudo-random sample (Knuth's multiplicative hash of the image id), the same on every read.
  const rows = await db.$queryRaw<{ image_id: number; votes: { a: number; p: boolean }[] | null }[]>`
    WITH sample AS (
      SELECT image_id FROM campaign_item
      WHERE campaign_id = ${campaign.id} AND NOT is_seed AND NOT calibration AND decision <> 'pending'
      ORDER BY (image_id::bigint * 2654435761) % 4294967296 LIMIT ${VOTES_SAVED_SAMPLE})
    SELECT s.image_id,
      (SELECT json_agg(json_build_object('a', v.annotator_id, 'p', v.positive) ORDER BY v.id)
       FROM vote v WHERE v.image_id = s.image_id AND v.synset_id = ${campaign.synsetId}
         AND v.gold_correct IS NULL) AS votes
    FROM sample s`;
  const lists = rows.map((r) => (r.votes ?? []).map((v): Vote => ({ annotatorId: String(v.a), positive: v.p })));
  const quality = await annotatorQualities(db, [...new Set(lists.flatMap((l) => l.map((v) => Number(v.annotatorId))))]);
  let used = 0;
  let without = 0;
  for (const list of lists) {
    used += list.length;
    without += votesWithoutPrior(list, table, policy, quality);
  }
  const scale = later / lists.length;
  const votesUsed = atPar + Math.round(used * scale);
  const votesWithoutModel = atPar + Math.round(without * scale);
  return { items, votesUsed, votesWithoutModel, saved: votesWithoutModel - votesUsed };
}

/** The votes the base-rate rule would have taken on these votes, in order (a lower bound past their end). */
function votesWithoutPrior(
  votes: readonly Vote[],
  table: ConfidenceTable,
  policy: CampaignPolicy,
  quality: ReadonlyMap<string, { accuracy: number; blocked?: boolean }>,
): number {
  for (let k = 0; k <= votes.length; k++) {
    const d = decide(votes.slice(0, k), table, policy, quality);
    if (d.decision !== "pending") return k;
    if (k === votes.length) return k + d.stillNeeded;
  }
  return votes.length;
}

/**
 * Yes rates of answers on images that have a prior (not calibration-set, seed included, nor audit images,
 * which never show a guess; gold answers left out) in tasks that showed the guess and in those that did not.
 * Which tasks show it is drawn at random per task, so both groups see the same kind of image and the gap is
 * the guess's effect.
 */
async function anchoring(db: Db, campaignId: number): Promise<NonNullable<CampaignModel["anchoring"]>> {
  const rows = await db.$queryRaw<{ shown: boolean; answers: number; yes: number }[]>`
    SELECT t.shows_model_guess AS shown, count(*)::int AS answers, count(*) FILTER (WHERE v.positive)::int AS yes
    FROM task t
    JOIN vote v ON v.task_id = t.id AND v.gold_correct IS NULL
    JOIN campaign_item i ON i.campaign_id = t.campaign_id AND i.image_id = v.image_id
    WHERE t.campaign_id = ${campaignId} AND NOT i.is_seed AND NOT i.calibration AND NOT i.audit
      AND i.prior IS NOT NULL
    GROUP BY t.shows_model_guess`;
  const group = (shown: boolean) => {
    const row = rows.find((r) => r.shown === shown);
    return { answers: row?.answers ?? 0, yesRate: row && row.answers > 0 ? row.yes / row.answers : null };
  };
  return { withGuess: group(true), withoutGuess: group(false) };
}
