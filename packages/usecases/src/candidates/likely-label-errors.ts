import { classThresholds, likelyLabelErrors } from "@arbor/core";
import type { Db } from "@arbor/db";
import { invalid, notFound, parseInput } from "../errors.ts";
import { thumbnailUrl } from "../images/image-schemas.ts";
import { type LabelErrorsQuery, type LikelyLabelError, labelErrorsQuerySchema } from "./candidate-schemas.ts";

interface PredictionRow {
  image_id: number;
  given: string;
  wnid: string;
  score: number;
}

/**
 * Likely label errors among verified links, by confident learning (Northcutt et al. 2021) over one model's
 * classes (Model.classes): an image verified for exactly one of them is an item labelled with that class,
 * its probabilities the model's predictions for it (classes it did not predict count 0: predictions keep the
 * model's top-k). Only out-of-sample predictions count (`inTraining` false): the model was fitted to its
 * training split's labels, so its scores there would agree with any mislabel it learnt. An image verified for
 * two of the classes has no single given class, and one without out-of-sample predictions no evidence: both are
 * left out. Each class's threshold (the mean predicted probability of the class over its own items) comes from
 * every class's items, also when `wnid` keeps only one class's rows. A row: the given class's probability is
 * below its threshold while another class is above its own; ranked by margin, largest first, `limit` of them
 * (default 100, at most 1000). `not-found` for no such model; `invalid` for a wnid not among its classes.
 */
export async function listLikelyLabelErrors(
  db: Db,
  input: { modelId: number } & LabelErrorsQuery,
): Promise<LikelyLabelError[]> {
  const { wnid, limit } = parseInput(labelErrorsQuerySchema, { wnid: input.wnid, limit: input.limit });
  const model = await db.model.findUnique({ where: { id: input.modelId }, select: { id: true, classes: true } });
  if (!model) throw notFound(`no model ${input.modelId}`);
  if (wnid !== undefined && !model.classes.includes(wnid)) {
    throw invalid(`${wnid} is not one of model ${model.id}'s classes`);
  }
  // Verified links by image_link's (synset_id, state, image_id) index, predictions by their primary key.
  const predictions = await db.$queryRaw<PredictionRow[]>`
    WITH class AS (SELECT id, wnid FROM synset WHERE wnid = ANY(${model.classes}::text[])),
    given AS (
      SELECT l.image_id, min(c.wnid) AS wnid FROM image_link l JOIN class c ON c.id = l.synset_id
      WHERE l.state = 'verified'
      GROUP BY l.image_id HAVING count(*) = 1)
    SELECT g.image_id, g.wnid AS given, c.wnid, p.score::float8 AS score
    FROM given g
    JOIN prediction p ON p.model_id = ${model.id} AND p.image_id = g.image_id AND NOT p.in_training
    JOIN class c ON c.id = p.synset_id`;
  const byImage = new Map<number, { id: number; givenClass: string; probs: Map<string, number> }>();
  for (const row of predictions) {
    let item = byImage.get(row.image_id);
    if (!item) {
      item = { id: row.image_id, givenClass: row.given, probs: new Map() };
      byImage.set(row.image_id, item);
    }
    item.probs.set(row.wnid, row.score);
  }
  const rows = [...byImage.values()];
  const flagged = likelyLabelErrors(rows, classThresholds(rows))
    .filter((error) => wnid === undefined || error.givenClass === wnid)
    .slice(0, limit);
  const lemmaOf = new Map(
    (
      await db.synset.findMany({
        where: { wnid: { in: [...new Set(flagged.flatMap((e) => [e.givenClass, e.suggestedClass]))] } },
        select: { wnid: true, lemmas: true },
      })
    ).map((s) => [s.wnid, s.lemmas[0] ?? s.wnid]),
  );
  return flagged.map((error) => ({
    imageId: error.id,
    thumbnailUrl: thumbnailUrl(error.id),
    wnid: error.givenClass,
    lemma: lemmaOf.get(error.givenClass) ?? error.givenClass,
    givenProbability: error.givenProbability,
    suggestedWnid: error.suggestedClass,
    suggestedLemma: lemmaOf.get(error.suggestedClass) ?? error.suggestedClass,
    suggestedProbability: error.suggestedProbability,
    margin: error.margin,
  }));
}
